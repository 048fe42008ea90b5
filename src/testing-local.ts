import type { Cluster } from './model/cluster.js';
import type { ClusterSpec } from './model/spec.js';
import { downSpec } from './local/down.js';
import type { ProgressSink } from './local/progress.js';
import { startOneService, stopOneService, upLocal } from './local/up.js';
import { promoteNode, rejoinNode, switchover } from './local/failover.js';
import { runningPrimary } from './local/topology.js';
import { waitFor } from './process/wait.js';
import { appRoleFor, localUrls, type LocalUrls } from './local/urls.js';

// `startLocalCluster`: the cluster of a config running on this host (what `synth up` starts),
// for integration tests in a consumer's repo, e.g. from a vitest globalSetup.

export interface StartLocalClusterOptions {
  /** Root of data, sockets and logs. @default `<cwd>/.pgsynth/local/<cluster>` */
  localDir?: string;
  /** Directory of the PostgreSQL binaries (`--pg-bin`). */
  pgBin?: string;
  /** Where passwords (and PATH) are read from; unset ones are generated into `<localDir>/secrets.env`. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Receives one line per step of the start, with its duration. @default silent */
  log?: ProgressSink;
}

/** A node-postgres client config (`new pg.Client(config)`), password included. */
export interface LocalConnectionConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export interface LocalConnectionOptions {
  /** A role of the cluster. @default the application role (owner of the primary's database) */
  user?: string;
  /** @default the application database for the application role, `postgres` for the others */
  database?: string;
  /** For an HAProxy: which frontend. @default 'rw' */
  frontend?: 'rw' | 'ro';
}

export interface LocalCluster {
  /** The resolved spec the processes run from (local address plan, installed Pgpool-II version). */
  spec: ClusterSpec;
  /** Connection URLs with the application role and database, without password. */
  urls: LocalUrls;
  passwords: {
    /** The application role's (owner of the primary's database). */
    app: string;
    superuser: string;
    replication: string;
    /** Every secret of the cluster, by environment variable. */
    byEnv: Record<string, string>;
  };
  /** True when every service was running already and nothing was started. */
  alreadyRunning: boolean;
  /**
   * A node-postgres config for a service (PostgreSQL node, Pgpool-II, or HAProxy). The
   * superuser connects to a PostgreSQL node over its Unix socket: pg_hba.conf refuses it over TCP.
   */
  connection(id: string, options?: LocalConnectionOptions): LocalConnectionConfig;
  /** Stops one service, e.g. a standby for a failure test; the others keep running. */
  stopService(id: string): Promise<void>;
  /** Starts a stopped service again and waits until it is back (a standby streaming, and attached in Pgpool-II again). */
  startService(id: string): Promise<void>;
  /**
   * Sends a signal to a service as a crash or an outside stop would, for fault tests: SIGKILL
   * kills its whole process group at once (the server and every session, as when its machine
   * dies); any other signal goes to the server process only (SIGTERM: PostgreSQL's smart
   * shutdown). Nothing is detached first; Pgpool-II's health checks notice on their own.
   */
  killService(id: string, signal?: NodeJS.Signals): Promise<void>;
  /** The node that is primary now (after a failover not the initial one), or undefined when none runs. */
  primary(): Promise<string | undefined>;
  /** `synth promote`: a running standby becomes the primary; a primary still running is stopped first. */
  promote(id: string): Promise<void>;
  /** `synth switchover --to`: planned change of primary, no acknowledged write lost; the old primary follows. */
  switchover(id: string): Promise<void>;
  /** `synth rejoin`: a node back as a standby of the primary (pg_rewind, or a fresh clone with `reclone`). */
  rejoin(id: string, options?: { reclone?: boolean }): Promise<void>;
  /** Stops every service (HAProxy, Pgpool-II, standbys, primary). With `purge`, deletes the local directory too. */
  stop(options?: { purge?: boolean }): Promise<void>;
}

/**
 * Starts the cluster locally with the real PostgreSQL, Pgpool-II and HAProxy binaries (no Docker)
 * and resolves once every service is ready: the replicas stream, Pgpool-II has every node up
 * with one primary, HAProxy's read-write backend is UP. Data survives `stop()`: the next start
 * reuses it (`stop({ purge: true })` starts the next one from nothing).
 *
 * @example
 * const local = await startLocalCluster(cluster, { localDir: '.pgsynth/test' });
 * const client = new pg.Client(local.connection('pgpool'));
 */
export async function startLocalCluster(cluster: Cluster, options: StartLocalClusterOptions = {}): Promise<LocalCluster> {
  const { runtime, alreadyRunning } = await upLocal(cluster, {
    ...(options.localDir === undefined ? {} : { localDir: options.localDir }),
    ...(options.pgBin === undefined ? {} : { pgBin: options.pgBin }),
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.log === undefined ? {} : { progress: options.log }),
  });
  const { spec } = runtime;
  const byEnv = { ...runtime.secrets.values };
  const app = appRoleFor(spec);
  const rolePasswords = new Map<string, string>();
  const addRole = (name: string, env: string) => {
    if (!rolePasswords.has(name) && byEnv[env] !== undefined) rolePasswords.set(name, byEnv[env]);
  };
  addRole(spec.roles.superuser.name, spec.roles.superuser.passwordEnv);
  addRole(spec.roles.replication.name, spec.roles.replication.passwordEnv);
  for (const node of spec.postgres) if (node.primary) addRole(node.primary.owner.name, node.primary.owner.passwordEnv);
  for (const pool of spec.pgpools) addRole(pool.checkUser.name, pool.checkUser.passwordEnv);

  const connection = (id: string, opts: LocalConnectionOptions = {}): LocalConnectionConfig => {
    const node = spec.postgres.find((n) => n.id === id);
    const own = appRoleFor(spec, node);
    const user = opts.user ?? own.owner.name;
    const password = rolePasswords.get(user);
    if (password === undefined) throw new Error(`startLocalCluster: '${user}' is not a role of cluster ${spec.id} with a password`);
    const database = opts.database ?? (user === own.owner.name ? own.database : 'postgres');
    if (node) {
      const host = user === spec.roles.superuser.name ? node.paths.socketDir : '127.0.0.1';
      return { host, port: node.port.listenPort, user, password, database };
    }
    const pool = spec.pgpools.find((p) => p.id === id);
    if (pool) return { host: '127.0.0.1', port: pool.port.listenPort, user, password, database };
    const proxy = spec.haproxies.find((h) => h.id === id);
    if (proxy) {
      const frontend = opts.frontend === 'ro' ? proxy.readOnly : proxy.readWrite;
      if (!frontend) throw new Error(`startLocalCluster: HAProxy ${id} has no read-only frontend`);
      return { host: '127.0.0.1', port: frontend.port.listenPort, user, password, database };
    }
    throw new Error(`startLocalCluster: no service '${id}' in cluster ${spec.id}`);
  };

  return {
    spec,
    urls: localUrls(spec),
    passwords: {
      app: rolePasswords.get(app.owner.name)!,
      superuser: rolePasswords.get(spec.roles.superuser.name)!,
      replication: rolePasswords.get(spec.roles.replication.name)!,
      byEnv,
    },
    alreadyRunning,
    connection,
    stopService: (id) => stopOneService(runtime, id),
    startService: (id) => startOneService(runtime, id),
    killService: async (id, signal = 'SIGKILL') => {
      runtime.refresh();
      const record = runtime.running(id);
      if (!record) throw new Error(`startLocalCluster: ${id} is not running`);
      process.kill(signal === 'SIGKILL' ? -record.pid : record.pid, signal);
      if (signal === 'SIGKILL') await waitFor(() => (runtime.running(id) ? undefined : true), { what: `${id} to die`, timeoutMs: 10_000, intervalMs: 20 });
    },
    primary: async () => {
      const node = spec.postgres.find((n) => n.role === 'primary');
      return node ? (await runningPrimary(runtime, node))?.id : undefined;
    },
    promote: (id) => promoteNode(runtime, id),
    switchover: (id) => switchover(runtime, id),
    rejoin: (id, rejoinOptions = {}) => rejoinNode(runtime, id, rejoinOptions),
    stop: async (stopOptions = {}) => {
      await downSpec(spec, { ...(stopOptions.purge ? { purge: true } : {}), ...(options.log ? { progress: options.log } : {}) });
    },
  };
}
