import type { ClusterSpec, PostgresNodeSpec } from '../../model/spec.js';

/**
 * `reserved_connections` (PostgreSQL 16+) also holds back ordinary connections. It is not a typed
 * option, so it comes from the node's `settings` when the user set it there.
 */
export function reservedForRoles(spec: ClusterSpec, n: PostgresNodeSpec): number {
  if (spec.postgresVersion < 16) return 0;
  const value = Number(n.settings['reserved_connections'] ?? 0);
  return Number.isFinite(value) ? value : 0;
}
