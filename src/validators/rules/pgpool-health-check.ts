import { defineRule } from '../rule.js';

export const pgpoolHealthCheckOn = defineRule({
  code: 'PGS106',
  severity: 'warning',
  title: 'Pgpool health checks are on (healthCheck.period > 0)',
  why: 'health_check_period = 0 disables health checks: a node that dies while no client is using it is never detected, so Pgpool keeps routing new sessions to it until one fails.',
  fix: 'set healthCheck.period to a few seconds, e.g. 5 (the default)',
  example: "new PgPool(cluster, 'pgpool', { backends: [primary, r1], hostPort: 9999, healthCheck: { period: 0 } })",
  check(spec) {
    return spec.pgpools.flatMap((pool) =>
      pool.healthCheck.period === 0 ? [{ node: pool, field: 'healthCheck.period', message: 'healthCheck.period is 0: health checks are off and a dead backend is never detected' }] : [],
    );
  },
});
