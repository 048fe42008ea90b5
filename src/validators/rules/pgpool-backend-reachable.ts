import { defineRule } from '../rule.js';
import { hostProblem } from './pgpool-backend-host.js';
import { nodeById } from '../helpers/spec-helpers.js';
import { forbiddenCharacter } from '../helpers/text-checks.js';

export const pgpoolBackendReachable = defineRule({
  code: 'PGS100',
  severity: 'error',
  title: "Every Pgpool backend is an address Pgpool can reach: the node's service and the port it listens on",
  why: "On compose, Pgpool reaches a node by its service name and the port it listens on inside its container, not the port published on the host (a common compose setup points Pgpool at a standby's published port, 5433, while the standby listens on 5432 inside its container: Pgpool marks every standby down). Under synth up, nodes listen on their host ports on 127.0.0.1.",
  fix: 'pass the node itself in backends (pgsynth derives host and port per target) instead of { host, port }',
  example: "new PgPool(cluster, 'pgpool', { hostPort: 9999, backends: [primary, { host: 'pg-replica1', port: 5612 }] })",
  check(spec) {
    return spec.pgpools.flatMap((pool) =>
      pool.backends.flatMap((b) => {
        // A host that is no host name at all is PGS070's or PGS072's mistake.
        if (b.nodeId !== null || forbiddenCharacter(b.host) || hostProblem(b.host)) return [];
        const node = spec.postgres.find((n) => n.id === b.host) ?? spec.postgres.find((n) => n.address.host === b.host && n.address.port === b.port);
        if (!node) {
          const known = spec.postgres.map((n) => `${n.address.host}:${n.address.port}`).join(', ');
          return [
            {
              node: pool,
              field: b.field,
              message: `backend ${b.index} (${b.host}:${b.port}) is not a node of this cluster on the ${spec.target} target (nodes: ${known})`,
            },
          ];
        }
        if (node.address.host === b.host && node.address.port === b.port) return [];
        const published = b.port === node.port.hostPort && spec.target === 'compose' ? `, the port published on the host` : '';
        return [
          {
            node: pool,
            field: b.field,
            message: `backend ${b.index} points at ${b.host}:${b.port}${published}; on the ${spec.target} target ${nodeById(spec, node.id)?.path ?? node.id} is reached at ${node.address.host}:${node.address.port}`,
            fix: `use the node itself in backends (or { host: '${node.address.host}', port: ${node.address.port} } on ${spec.target} only)`,
          },
        ];
      }),
    );
  },
});
