import { defineRule } from '../rule.js';

export const pgpoolStreamingCheckOn = defineRule({
  code: 'PGS107',
  severity: 'warning',
  title: "Pgpool's streaming-replication check is on (srCheckPeriod > 0)",
  why: 'sr_check_period = 0 turns off the periodic check that finds which node is the primary after a switchover and measures each standby\'s delay; delay thresholds and prefer_lower_delay_standby are evaluated "every sr_check_period" and stop working, so lagging standbys keep receiving reads.',
  fix: 'set srCheckPeriod to a few seconds, e.g. 5 (the default)',
  example: "new PgPool(cluster, 'pgpool', { backends: [primary, r1], hostPort: 9999, srCheckPeriod: 0 })",
  check(spec) {
    return spec.pgpools.flatMap((pool) =>
      pool.srCheckPeriod === 0 ? [{ node: pool, field: 'srCheckPeriod', message: 'srCheckPeriod is 0: Pgpool stops checking which node is primary and how far standbys lag' }] : [],
    );
  },
});
