import { defineRule } from '../rule.js';

export const pgpoolSearchPrimaryBounded = defineRule({
  code: 'PGS110',
  severity: 'warning',
  title: "Pgpool's search for the primary is bounded (searchPrimaryNodeTimeout > 0)",
  why: 'search_primary_node_timeout = 0 makes Pgpool search for the primary forever at start and after a failover. While no primary is up, Pgpool accepts no client at all, so even read-only traffic to healthy standbys stops and HAProxy marks Pgpool down.',
  fix: 'set searchPrimaryNodeTimeout to a bound in seconds, e.g. 10 (the default)',
  example: "new PgPool(cluster, 'pgpool', { backends: [primary, r1], hostPort: 9999, searchPrimaryNodeTimeout: 0 })",
  check(spec) {
    return spec.pgpools.flatMap((pool) =>
      pool.searchPrimaryNodeTimeout === 0 ? [{ node: pool, field: 'searchPrimaryNodeTimeout', message: 'searchPrimaryNodeTimeout is 0: Pgpool waits forever for a primary at start and after failover' }] : [],
    );
  },
});
