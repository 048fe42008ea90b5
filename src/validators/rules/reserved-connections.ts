import { defineRule } from '../rule.js';
import { memberNode } from '../helpers/cluster-members.js';
import { reservedForRoles } from '../../model/ceilings.js';

export const reservedConnectionsFit = defineRule({
  code: 'PGS022',
  severity: 'error',
  title: 'superuser_reserved_connections (plus reserved_connections) is less than max_connections',
  why: 'The postmaster exits at start when the reserved slots leave no ordinary connection: "superuser_reserved_connections (3) must be less than max_connections (3)" (PostgreSQL 16+: ""superuser_reserved_connections" (3) plus "reserved_connections" (0) must be less than "max_connections" (3)").',
  fix: 'raise maxConnections or lower superuserReservedConnections',
  example: "new Primary(cluster, 'pg-primary', { hostPort: 5611, maxConnections: 3, superuserReservedConnections: 3 })",
  check(spec) {
    return spec.postgres.flatMap((n) => {
      const reserved = reservedForRoles(spec.postgresVersion, n.settings);
      const { maxConnections, superuserReservedConnections } = n.limits;
      if (superuserReservedConnections + reserved < maxConnections) return [];
      // A replica that inherited the primary's values repeats the primary's mistake; report it once.
      const primary = n.replica ? memberNode(spec, n.replica.upstreamId, n.replica.upstream) : undefined;
      if (primary && primary.limits.maxConnections === maxConnections && primary.limits.superuserReservedConnections === superuserReservedConnections && reservedForRoles(spec.postgresVersion, primary.settings) === reserved) return [];
      const plus = reserved ? ` plus settings.reserved_connections (${reserved})` : '';
      const minimum = superuserReservedConnections + reserved + 1;
      return [
        {
          node: n,
          field: 'superuserReservedConnections',
          message: `superuserReservedConnections (${superuserReservedConnections})${plus} must be less than maxConnections (${maxConnections})`,
          fix: `set maxConnections to at least ${minimum}, or lower superuserReservedConnections`,
        },
      ];
    });
  },
});
