// Connection arithmetic the resolver (defaults) and the rules (checks) both need: one formula each.
import type { SettingValue } from '../settings/issue.js';

/**
 * `reserved_connections` (PostgreSQL 16+) holds back ordinary connections as
 * superuser_reserved_connections does. It is not a typed option: it comes from `settings`.
 */
export function reservedForRoles(postgresVersion: number, settings: Readonly<Record<string, SettingValue | undefined>>): number {
  if (postgresVersion < 16) return 0;
  const value = Number(settings['reserved_connections'] ?? 0);
  return Number.isFinite(value) ? value : 0;
}

/** Clients a Pgpool serves at once: num_init_children − reserved_connections (the rest queue or are refused). */
export function pgpoolClientCapacity(pool: { numInitChildren: number; reservedConnections: number }): number {
  return pool.numInitChildren - pool.reservedConnections;
}
