import type { ClusterSpec, PostgresNodeSpec } from '../model/spec.js';
import type { PgConn } from '../process/sql.js';

/** Timeouts of a probe (status, "which node is the primary"): a node that misses them counts as not answering. */
export const PROBE_TIMEOUTS = { connectTimeoutMs: 2_000, queryTimeoutMs: 3_000 } as const;

/** The superuser over the node's Unix socket, which pg_hba.conf trusts (TCP never admits it). */
export function superuserConn(spec: ClusterSpec, node: PostgresNodeSpec, extra: Partial<PgConn> = {}): PgConn {
  return { host: node.paths.socketDir, port: node.port.listenPort, user: spec.roles.superuser.name, database: 'postgres', ...extra };
}
