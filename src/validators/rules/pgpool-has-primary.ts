import { defineRule } from '../rule.js';
import { backendNode } from '../helpers/cluster-members.js';

export const pgpoolHasPrimary = defineRule({
  code: 'PGS102',
  severity: 'error',
  title: "A Pgpool's backends include the primary",
  why: 'Pgpool sends every write and every transaction that writes to the primary it finds among its backends. Without it Pgpool searches for search_primary_node_timeout, then runs with no primary: writes fail and nothing is promoted.',
  fix: 'add the Primary to backends (first, by convention)',
  example: "new PgPool(cluster, 'pgpool', { backends: [r1, r2], hostPort: 9999 })",
  check(spec) {
    return spec.pgpools.flatMap((pool) => {
      const nodes = pool.backends.map((b) => backendNode(spec, b));
      if (nodes.some((n) => n?.role === 'primary')) return [];
      const primary = spec.postgres.find((n) => n.role === 'primary');
      return [
        {
          node: pool,
          field: 'backends',
          message: `none of the ${pool.backends.length} backend(s) is the primary${primary ? ` ${primary.path}` : ''}: writes through Pgpool fail`,
          ...(primary ? { fix: `add ${primary.id} to backends: backends: [primary, …]` } : {}),
        },
      ];
    });
  },
});
