import type { PgpoolVersion, PostgresVersion } from './cluster.js';

// Defaults that are derived rather than constant, kept in one place so docs and code agree.

export const DEFAULT_LIMITS = {
  maxConnections: 100,
  superuserReservedConnections: 3,
  maxWorkerProcesses: 8,
  maxWalSenders: 10,
  maxReplicationSlots: 10,
  maxPreparedTransactions: 0,
  maxLocksPerTransaction: 64,
} as const;

/**
 * Pgpool's health checks: a stopped node (connection refused) is detached after about
 * period + maxRetries × retryDelay = 3 s; a retry keeps one lost packet from failing over a
 * healthy primary.
 */
export const DEFAULT_HEALTH_CHECK = { period: 1, timeout: 5, maxRetries: 2, retryDelay: 1 } as const;

/** Connections each Pgpool holds to every backend beyond its pool: the health check and the streaming check. */
export const PGPOOL_CHECK_CONNECTIONS = 2;

/**
 * Pgpool's `listen_backlog_multiplier`: the kernel holds this many times `num_init_children`
 * clients in Pgpool's listen queue while every child is busy (net.core.somaxconn caps it).
 * HAProxy normally keeps clients out of it; this covers clients that reach Pgpool directly and
 * the moment between HAProxy freeing a slot and the child taking the next client.
 */
export const PGPOOL_LISTEN_BACKLOG_MULTIPLIER = 4;

export const DEFAULT_PORTS = { postgres: 5432, pgpool: 9999, pcp: 9898, readWrite: 5000, readOnly: 5001, stats: 8404 } as const;

/**
 * The Pgpool-II project pushes its image under full release tags only (`pgpool/pgpool:4.4.3`, per
 * its pgpool2_on_k8s build script), so `pgpool/pgpool:4.4` cannot be pulled. The releases known to
 * be published; other versions keep `pgpool/pgpool:<major.minor>` (docs/running.md says to set one).
 */
export const PGPOOL_IMAGE_RELEASES: Partial<Record<PgpoolVersion, string>> = { '4.4': '4.4.3' };

export function defaultImages(postgres: PostgresVersion, pgpool: PgpoolVersion) {
  return { postgres: `postgres:${postgres}-bookworm`, pgpool: `pgpool/pgpool:${PGPOOL_IMAGE_RELEASES[pgpool] ?? pgpool}`, haproxy: 'haproxy:2.8' };
}

/**
 * A /24 inside 172.20.0.0–172.31.255.0 derived from the cluster name, so pg_hba.conf and
 * pool_hba.conf can name the compose network exactly without the user choosing a subnet.
 * Set `network.subnet` when it collides with a network on the Docker host.
 */
export function defaultSubnet(clusterName: string): string {
  let hash = 0x811c9dc5;
  for (const ch of clusterName) {
    hash ^= ch.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `172.${20 + (hash % 12)}.${(hash >>> 8) % 256}.0/24`;
}

/** `pg-replica1` → `pg_replica1`: slot names allow only lower-case letters, digits and underscores. */
export function slotNameFor(id: string): string {
  return id.replace(/[^a-z0-9_]/g, '_');
}
