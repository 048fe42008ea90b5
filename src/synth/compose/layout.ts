import type { ClusterSpec } from '../../model/spec.js';

// Which generated file each container mounts, and where. The compose file and the synth step both
// read this list, so a file is written exactly when some service mounts it.

export interface ComposeMount {
  /** The generated file, relative to the compose file's directory, e.g. `pg-primary/postgresql.conf`. */
  path: string;
  /** Where the container sees it (read-only). */
  mountedAt: string;
}

/** docker-library/postgres runs every *.sh in this folder once, on the first start of an empty data directory. */
export const INITDB_SCRIPT = '/docker-entrypoint-initdb.d/10-pgsynth.sh';

/** The mounts of one service (a node id of the spec). */
export function serviceMounts(spec: ClusterSpec, serviceId: string): ComposeMount[] {
  const at = (file: string, dir: string, mountedAt = `${dir}/${file}`): ComposeMount => ({ path: `${serviceId}/${file}`, mountedAt });
  const node = spec.postgres.find((n) => n.id === serviceId);
  if (node) {
    const dir = node.paths.configDir;
    const start = node.role === 'primary' ? at('init.sh', dir, INITDB_SCRIPT) : at('entrypoint.sh', dir);
    return [at('postgresql.conf', dir), at('pg_hba.conf', dir), start];
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
  const ids = [...spec.postgres, ...spec.pgpools, ...spec.haproxies].map((n) => n.id);
  return ids.flatMap((id) => serviceMounts(spec, id));
}
