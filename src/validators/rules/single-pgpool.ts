import { defineRule } from '../rule.js';

export const singlePgpoolIsSinglePointOfFailure = defineRule({
  code: 'PGS213',
  severity: 'warning',
  title: 'A cluster with standbys has more than its one Pgpool-II between clients and the nodes, or says why one is enough',
  why: "Every client path (HAProxy RW and RO, Pgpool-II's own port) goes through the one Pgpool-II, and it is also what detects a lost primary and runs failover.sh: while it (its process, host or container) is down no client reaches any node and no failover happens, however many standbys run. A second Pgpool-II is no cure on its own: without Pgpool-II's watchdog, which pgsynth does not configure, two instances would each run their own failover.",
  fix: "keep Pgpool-II restarted by a supervisor (compose restarts it: restart: unless-stopped) and accept the risk for this cluster with pgpool.acknowledge('PGS213', '<why one Pgpool-II is enough here>')",
  example: "new PgPool(cluster, 'pgpool', { backends: [primary, r1], hostPort: 9999 })",
  check(spec) {
    if (spec.pgpools.length !== 1) return [];
    const pool = spec.pgpools[0]!;
    const standbys = pool.backends.filter((b) => spec.postgres.find((n) => n.id === b.nodeId)?.role === 'replica');
    if (standbys.length === 0) return [];
    return [
      {
        node: pool,
        field: 'backends',
        message: `${pool.path} is the only Pgpool-II: while it is down no client reaches any of the ${spec.postgres.length} nodes, and no failover happens`,
      },
    ];
  },
});
