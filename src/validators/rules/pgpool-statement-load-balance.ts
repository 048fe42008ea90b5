import { defineRule } from '../rule.js';

export const statementLoadBalanceNeedsLoadBalance = defineRule({
  code: 'PGS112',
  severity: 'warning',
  title: 'statementLevelLoadBalance is used only with loadBalance on',
  why: 'statement_level_load_balance chooses the read node per statement instead of per session, but only when load_balance_mode is on; with it off the option does nothing and reads stay on the primary.',
  fix: 'set loadBalance: true, or remove statementLevelLoadBalance',
  example: "new PgPool(cluster, 'pgpool', { backends: [primary, r1], hostPort: 9999, loadBalance: false, statementLevelLoadBalance: true })",
  check(spec) {
    return spec.pgpools.flatMap((pool) =>
      pool.statementLevelLoadBalance && !pool.loadBalance
        ? [{ node: pool, field: 'statementLevelLoadBalance', message: 'statementLevelLoadBalance is on but loadBalance is off: it has no effect' }]
        : [],
    );
  },
});
