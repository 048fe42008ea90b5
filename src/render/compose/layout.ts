import type { ClusterSpec } from '../../model/spec.js';
import { backedUpNode } from '../backup/paths.js';

// Which generated file each container mounts, and where. The compose file and the synth step both
// read this list, so a file is written exactly when some service mounts it.

export interface ComposeMount {
  /** The generated file, relative to the compose file's directory, e.g. `pg-primary/postgresql.conf`. */
  path: string;
  /** Where the container sees it (read-only). */
  mountedAt: string;
}

/** The mounts of one service (a node id of the spec). */
export function serviceMounts(spec: ClusterSpec, serviceId: string): ComposeMount[] {
  const at = (file: string, dir: string, mountedAt = `${dir}/${file}`): ComposeMount => ({ path: `${serviceId}/${file}`, mountedAt });
  const node = spec.postgres.find((n) => n.id === serviceId);
  if (node) {
    const dir = node.paths.configDir;
    // The primary's entrypoint.sh runs its init.sh (the bootstrap) until it has once succeeded.
    const bootstrap = node.role === 'primary' ? [at('init.sh', dir)] : [];
    // archive_command reads it (pgbackrest --config-path=<configDir>/pgbackrest).
    const archiving = spec.backup ? [at('pgbackrest/pgbackrest.conf', dir)] : [];
    return [at('postgresql.conf', dir), at('pg_hba.conf', dir), at('entrypoint.sh', dir), ...bootstrap, ...archiving];
  }
  if (spec.backup && serviceId === spec.backup.id) {
    // The backup service sees the backed-up node's configuration folder: pgbackrest.conf names its data directory.
    const dir = backedUpNode(spec).paths.configDir;
    return [at('backup.sh', dir), at('pgbackrest/pgbackrest.conf', dir)];
  }
  const pool = spec.pgpools.find((p) => p.id === serviceId);
  if (pool) {
    const dir = pool.paths.configDir;
    const failover = pool.failover === 'automatic' ? [at('failover.sh', dir)] : [];
    return [at('pgpool.conf', dir), at('pool_hba.conf', dir), at('entrypoint.sh', dir), ...failover];
  }
  const proxy = spec.haproxies.find((h) => h.id === serviceId);
  if (proxy) return [at('haproxy.cfg', proxy.paths.configDir)];
  throw new Error(`${spec.path}: no service '${serviceId}'`);
}

/** Every generated file the compose file mounts, service by service in the order of the compose file. */
export function composeFileLayout(spec: ClusterSpec): ComposeMount[] {
  const ids = [...spec.postgres, ...spec.pgpools, ...spec.haproxies, ...(spec.backup ? [spec.backup] : [])].map((n) => n.id);
  return ids.flatMap((id) => serviceMounts(spec, id));
}
