import { defineRule, type Finding } from '../rule.js';
import { memberNode } from '../helpers/cluster-members.js';

export const haproxyReadWriteReachesPrimaryOnly = defineRule({
  code: 'PGS141',
  severity: 'error',
  title: "HAProxy's read-write frontend reaches the primary and never a standby",
  why: "A write sent to a standby fails with \"cannot execute INSERT in a read-only transaction\". Through Pgpool, Pgpool routes writes to the primary; talking to the nodes directly, only servers that pass the pg_is_in_recovery() = false check may serve the read-write frontend (option pgsql-check alone only proves the port speaks PostgreSQL), and with no primary among them the frontend has no server at all.",
  fix: 'use a PgPool as upstream, or list the Primary among the upstream nodes',
  example: "new Haproxy(cluster, 'haproxy', { upstream: [r1, r2], readWrite: { hostPort: 5100 } })",
  check(spec) {
    return spec.haproxies.flatMap((h) => {
      const findings: Finding[] = [];
      const expected = h.upstream.kind === 'pgpool' ? 'pgpool' : 'primary';
      for (const s of h.readWrite.servers) {
        if (s.check !== expected) findings.push({ node: h, field: 'readWrite', message: `read-write server '${s.name}' is checked as '${s.check}' instead of '${expected}': writes could reach a standby` });
      }
      if (h.upstream.kind === 'direct') {
        const primaries = h.readWrite.servers.filter((s) => memberNode(spec, s.name, s)?.role === 'primary');
        if (primaries.length === 0) {
          findings.push({
            node: h,
            field: 'upstream',
            message: `upstream lists ${h.upstream.ids.join(', ')} and no primary: no server passes the read-write frontend's primary check`,
          });
        }
      }
      return findings;
    });
  },
});
