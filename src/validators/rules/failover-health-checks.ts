import { defineRule } from '../rule.js';

export const failoverNeedsHealthChecks = defineRule({
  code: 'PGS210',
  severity: 'error',
  title: 'A Pgpool with automatic failover runs health checks (healthCheck.period > 0)',
  why: "Pgpool runs its failover_command when a health check gives up on a node. With health checks off a lost primary is never detected: nothing is promoted and every write fails until a person acts.",
  fix: "set healthCheck.period above 0 (the default is 1), or failover: 'manual'",
  example: "new PgPool(cluster, 'pgpool', { backends: [primary, r1], hostPort: 9999, healthCheck: { period: 0 } })",
  check(spec) {
    return spec.pgpools.flatMap((pool) =>
      pool.failover === 'automatic' && pool.healthCheck.period === 0
        ? [{ node: pool, field: 'healthCheck.period', message: "healthCheck.period is 0, so a lost primary is never detected and automatic failover never starts" }]
        : [],
    );
  },
});
