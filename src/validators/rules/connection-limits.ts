import { reservedForRoles as reservedOf } from '../../model/capacity.js';
import type { ClusterSpec, PostgresNodeSpec } from '../../model/spec.js';

/** `reserved_connections` of a node (PostgreSQL 16+, from its `settings`). */
export function reservedForRoles(spec: ClusterSpec, n: PostgresNodeSpec): number {
  return reservedOf(spec.postgresVersion, n.settings);
}
