import { join } from 'node:path';
import type { ClusterSpec } from '../model/spec.js';
import { makeOwnedDir, writeOwnedFile } from '../process/files.js';
import type { RunAs } from '../process/run-as.js';
import { renderHaproxyCfg } from '../render/haproxy/index.js';
import { renderFailoverScript, renderPgpoolConf, renderPgpoolEntrypoint, renderPoolHbaConf } from '../render/pgpool/index.js';
import { renderPgHbaConf, renderPostgresqlConf } from '../render/postgres/index.js';

// The rendered configuration of every service, written into its configDir on each `up` so a
// changed cluster.config.ts takes effect at the next start. None of these files holds a secret.

export function postgresConfigFile(configDir: string): string {
  return join(configDir, 'postgresql.conf');
}

export function pgpoolFiles(configDir: string) {
  return {
    config: join(configDir, 'pgpool.conf'),
    hba: join(configDir, 'pool_hba.conf'),
    /** The compose target's entrypoint, run as the Pgpool process: it writes pool_passwd, pcp.conf and failover.pgpass. */
    entrypoint: join(configDir, 'entrypoint.sh'),
    /** For pcp_attach_node, run as the invoking user: `host:port:user:password`. */
    pcpPass: join(configDir, 'pcppass'),
    failoverScript: join(configDir, 'failover.sh'),
  };
}

export function haproxyConfigFile(configDir: string): string {
  return join(configDir, 'haproxy.cfg');
}

/** Creates every service folder and writes its rendered files. PostgreSQL's and Pgpool's belong to `runAs`. */
export function writeConfigFiles(spec: ClusterSpec, runAs: RunAs): void {
  for (const node of spec.postgres) {
    makeOwnedDir(node.paths.configDir, runAs);
    writeOwnedFile(postgresConfigFile(node.paths.configDir), renderPostgresqlConf(spec, node), runAs, 0o644);
    writeOwnedFile(join(node.paths.configDir, 'pg_hba.conf'), renderPgHbaConf(spec, node), runAs, 0o644);
  }
  for (const pool of spec.pgpools) {
    const files = pgpoolFiles(pool.paths.configDir);
    makeOwnedDir(pool.paths.configDir, runAs);
    // logdir keeps pgpool_status; Pgpool clears memqcache_oiddir (inside it) at start.
    makeOwnedDir(pool.paths.logDir, runAs);
    makeOwnedDir(join(pool.paths.logDir, 'oiddir'), runAs);
    writeOwnedFile(files.config, renderPgpoolConf(spec, pool), runAs, 0o644);
    writeOwnedFile(files.hba, renderPoolHbaConf(spec, pool), runAs, 0o644);
    writeOwnedFile(files.failoverScript, renderFailoverScript(spec, pool), runAs, 0o755);
    writeOwnedFile(files.entrypoint, renderPgpoolEntrypoint(spec, pool), runAs, 0o755);
  }
  for (const proxy of spec.haproxies) {
    // HAProxy runs as the invoking user: its folder stays ours.
    makeOwnedDir(proxy.paths.configDir, undefined);
    writeOwnedFile(haproxyConfigFile(proxy.paths.configDir), renderHaproxyCfg(spec, proxy), undefined, 0o644);
  }
}
