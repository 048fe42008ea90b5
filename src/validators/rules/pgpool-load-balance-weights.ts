import { defineRule } from '../rule.js';
import { backendNode } from '../helpers/cluster-members.js';

export const pgpoolLoadBalanceReachesStandbys = defineRule({
  code: 'PGS105',
  severity: 'warning',
  title: 'With load balancing on, some standby backend has a weight above 0',
  why: 'backend_weight is the share of read-only sessions a backend gets. With every standby at 0, load_balance_mode sends every read to the primary, and the standbys serve nothing.',
  fix: 'give the standbys a weight > 0 (the default is 1), or set loadBalance: false',
  example: "new PgPool(cluster, 'pgpool', { backends: [primary, { node: r1, weight: 0 }], hostPort: 9999 })",
  check(spec) {
    return spec.pgpools.flatMap((pool) => {
      if (!pool.loadBalance) return [];
      const standbys = pool.backends.filter((b) => backendNode(spec, b)?.role === 'replica');
      if (standbys.length === 0 || standbys.some((b) => b.weight > 0)) return [];
      return [{ node: pool, field: 'backends', message: `loadBalance is on but all ${standbys.length} standby backend(s) have weight 0: every read goes to the primary` }];
    });
  },
});
