import { defineRule } from '../rule.js';
import { readRoutesTo } from '../helpers/read-routes.js';

export const hotStandbyOnReplicas = defineRule({
  code: 'PGS016',
  severity: 'warning',
  title: 'Replicas run with hot_standby on',
  why: 'With hot_standby = off a standby refuses every connection ("the database system is not accepting connections", DETAIL "Hot standby mode is disabled."). Pgpool assumes hot standby: its health and streaming checks fail against such a node, and read-only routes (Pgpool load balancing, HAProxy\'s read-only frontend) lose their target.',
  fix: 'remove hotStandby: false from the replica (the default is true)',
  example: "new Replica(cluster, 'pg-replica1', { primary, hostPort: 5612, hotStandby: false })",
  check(spec) {
    return spec.postgres.flatMap((n) => {
      if (!n.replica || n.hotStandby) return [];
      const routes = readRoutesTo(spec, n);
      const lost = routes.length ? `; ${routes.join(' and ')} send reads to it` : '';
      return [{ node: n, field: 'hotStandby', message: `hotStandby is false: the standby refuses connections until it is promoted${lost}` }];
    });
  },
});
