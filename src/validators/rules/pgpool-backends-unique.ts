import type { PgpoolBackendSpec } from '../../model/spec.js';
import { defineRule, type Finding } from '../rule.js';
import { backendNode, nodesWithId } from '../helpers/cluster-members.js';

export const pgpoolBackendsUnique = defineRule({
  code: 'PGS104',
  severity: 'error',
  title: 'A Pgpool lists each backend once',
  why: 'Pgpool treats two backend entries as two servers: one node listed twice gets twice its share of reads, counts twice in replication checks, and a failover of one entry leaves the other pointing at the same server.',
  fix: 'remove the repeated entry (use weight to give a node a larger share of reads)',
  example: "new PgPool(cluster, 'pgpool', { backends: [primary, r1, { host: 'pg-replica1', port: 5432 }], hostPort: 9999 })",
  check(spec) {
    return spec.pgpools.flatMap((pool) => {
      const findings: Finding[] = [];
      const first = new Map<string, PgpoolBackendSpec>();
      for (const b of pool.backends) {
        // A node by identity; an outside address by host:port.
        const node = backendNode(spec, b);
        // Two nodes sharing an id cannot be told apart here; PGS091 reports the id.
        if (node && nodesWithId(spec, node.id).length > 1) continue;
        const key = node ? `node:${node.path}:${node.address.host}:${node.address.port}` : `addr:${b.host}:${b.port}`;
        const earlier = first.get(key);
        if (!earlier) first.set(key, b);
        else findings.push({ node: pool, field: b.field, message: `backend ${b.index} is ${node ? node.path : `${b.host}:${b.port}`} again (already backend ${earlier.index})` });
      }
      return findings;
    });
  },
});
