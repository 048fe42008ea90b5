import { defineRule } from '../rule.js';
import { readRoutesTo } from '../helpers/read-routes.js';

export const hotStandbyFeedbackWithReads = defineRule({
  code: 'PGS023',
  severity: 'warning',
  title: 'A standby that serves reads runs with hot_standby_feedback on',
  why: 'Without feedback, vacuum on the primary removes rows a long query on the standby still needs, and the standby cancels that query: "canceling statement due to conflict with recovery". With Pgpool load balancing or an HAProxy read-only route, those are ordinary application reads.',
  fix: 'remove hotStandbyFeedback: false (the default is true), or take the replica out of the read routes',
  example: "new Replica(cluster, 'pg-replica1', { primary, hostPort: 5612, hotStandbyFeedback: false }) // with a load-balancing PgPool",
  check(spec) {
    return spec.postgres.flatMap((n) => {
      // With hot standby off there are no reads to cancel; PGS016 reports that.
      if (!n.replica || n.replica.hotStandbyFeedback || !n.hotStandby) return [];
      const routes = readRoutesTo(spec, n);
      if (routes.length === 0) return [];
      return [{ node: n, field: 'hotStandbyFeedback', message: `hotStandbyFeedback is false while ${routes.join(' and ')} send reads to this standby: long queries get cancelled by recovery conflicts` }];
    });
  },
});
