import { defineRule } from '../rule.js';
import { memberNode } from '../helpers/cluster-members.js';

export const haproxyReadOnlyHasStandby = defineRule({
  code: 'PGS142',
  severity: 'error',
  title: "HAProxy's read-only frontend has a standby to send reads to",
  why: "The read-only frontend sends sessions to the standbys of the moment: the replicas among Pgpool's backends (or the upstream nodes) and their primary, each checked to answer pg_is_in_recovery() = t, so a write through it always fails. With no replica, the only server is a primary that never passes that check: every client is refused; sending reads to a primary instead would let writes through.",
  fix: 'add a Replica to the PgPool backends or to upstream, or drop readOnly',
  example: "new Haproxy(cluster, 'haproxy', { upstream: [primary], readWrite: { hostPort: 5100 }, readOnly: { hostPort: 5101 } })",
  check(spec) {
    return spec.haproxies.flatMap((h) => {
      if (!h.readOnly) return [];
      const standbys = h.readOnly.servers.filter((s) => memberNode(spec, s.name, s)?.role === 'replica');
      if (standbys.length > 0) return [];
      const where = h.upstream.kind === 'pgpool' ? `Pgpool ${h.upstream.id} has no standby backend` : 'upstream lists no replica';
      return [{ node: h, field: 'readOnly', message: `readOnly is published but ${where}: the read-only frontend would have no server` }];
    });
  },
});
