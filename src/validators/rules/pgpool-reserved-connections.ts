import { pgpoolSessions } from '../../model/ceilings.js';
import { defineRule } from '../rule.js';

export const pgpoolReservedBelowChildren = defineRule({
  code: 'PGS108',
  severity: 'error',
  title: 'Pgpool reservedConnections is less than numInitChildren',
  why: 'Pgpool accepts at most num_init_children − reserved_connections clients and refuses the rest with "Sorry, too many clients already". With reserved_connections ≥ num_init_children it refuses every client.',
  fix: 'lower reservedConnections below numInitChildren (0 queues excess clients instead of refusing them)',
  example: "new PgPool(cluster, 'pgpool', { backends: [primary], hostPort: 9999, numInitChildren: 8, reservedConnections: 8 })",
  check(spec) {
    return spec.pgpools.flatMap((pool) => {
      if (pool.reservedConnections < pool.numInitChildren) return [];
      return [
        {
          node: pool,
          field: 'reservedConnections',
          message: `reservedConnections (${pool.reservedConnections}) is not less than numInitChildren (${pool.numInitChildren}): Pgpool accepts ${pool.numInitChildren} − ${pool.reservedConnections} = ${pgpoolSessions(pool)} clients`,
          fix: `set reservedConnections to at most ${pool.numInitChildren - 1} (0 queues excess clients instead of refusing them)`,
        },
      ];
    });
  },
});
