import { pgpoolClientCapacity } from '../../model/capacity.js';
import { defineRule } from '../rule.js';

export const haproxyServerMaxConnFitsPgpool = defineRule({
  code: 'PGS144',
  severity: 'warning',
  title: "HAProxy's serverMaxConn does not exceed what Pgpool accepts (numInitChildren − reservedConnections)",
  why: "Pgpool serves num_init_children − reserved_connections clients at a time and queues (or refuses, with reserved_connections) the rest where nobody can see them. HAProxy's per-server maxconn at or below that keeps the excess queued in HAProxy, with its timeouts and stats; above it, clients wait in Pgpool's listen queue or get \"Sorry, too many clients already\".",
  fix: "remove serverMaxConn (it defaults to Pgpool's capacity) or lower it",
  example: "new Haproxy(cluster, 'haproxy', { upstream: pgpool, readWrite: { hostPort: 5100 }, serverMaxConn: 500 }) // numInitChildren 32",
  check(spec) {
    return spec.haproxies.flatMap((h) => {
      if (h.upstream.kind !== 'pgpool' || h.serverMaxConn === null) return [];
      const upstreamId = h.upstream.id;
      const pool = spec.pgpools.find((p) => p.id === upstreamId);
      if (!pool) return [];
      const capacity = pgpoolClientCapacity(pool);
      // With no capacity at all the mistake is Pgpool's: PGS108.
      if (capacity <= 0 || h.serverMaxConn <= capacity) return [];
      return [
        {
          node: h,
          field: 'serverMaxConn',
          message: `serverMaxConn is ${h.serverMaxConn} but ${pool.path} accepts ${pool.numInitChildren} − ${pool.reservedConnections} = ${capacity} clients`,
          fix: `set serverMaxConn to at most ${capacity}, or remove it`,
        },
      ];
    });
  },
});
