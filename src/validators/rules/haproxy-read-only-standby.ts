import { defineRule } from '../rule.js';
import { memberNode } from './cluster-members.js';

export const haproxyReadOnlyHasStandby = defineRule({
  code: 'PGS142',
  severity: 'warning',
  title: "HAProxy's read-only frontend has a standby to send reads to",
  why: 'Talking to the nodes directly, the read-only frontend prefers standbys and keeps the primary as backup. With no replica among the upstream nodes every read lands on the primary, which the read-only port was meant to spare.',
  fix: 'add the replicas to upstream, or drop readOnly',
  example: "new Haproxy(cluster, 'haproxy', { upstream: [primary], readWrite: { hostPort: 5100 }, readOnly: { hostPort: 5101 } })",
  check(spec) {
    return spec.haproxies.flatMap((h) => {
      if (h.upstream.kind !== 'direct' || !h.readOnly) return [];
      const standbys = h.readOnly.servers.filter((s) => !s.backup && memberNode(spec, s.name, s)?.role === 'replica');
      if (standbys.length > 0) return [];
      return [{ node: h, field: 'readOnly', message: `readOnly is published but upstream lists no replica: every read goes to the primary` }];
    });
  },
});
