import { posix } from 'node:path';
import type { ClusterSpec, HaproxySpec, PgpoolSpec, PostgresNodeSpec, RoleSpec } from '../../model/spec.js';
import { shellQuote } from '../shell.js';
import { BOOTSTRAP_DONE } from '../postgres/primary-init-script.js';
import { serviceMounts } from './layout.js';
import { CLUSTER_STATE_DIR, CLUSTER_STATE_VOLUME, usesClusterState } from '../cluster-state.js';
import { composeShellSecret, serviceSecrets } from './secrets.js';

// One compose service per node of the spec. Secrets appear only as ${VAR} references that
// compose fills from .env, and refuses to start without, or (secretFiles) as compose secrets.

export interface ComposeHealthcheck {
  test: string[];
  interval: string;
  timeout: string;
  retries: number;
  /** Failures before this do not count: first starts initialize or copy a data directory. */
  start_period: string;
}

export interface ComposeService {
  image: string;
  /** Built from a generated Dockerfile (a Backup adds pgBackRest to the postgres image), tagged `image`. */
  build?: { context: string; dockerfile: string; args: Record<string, string> };
  hostname: string;
  user?: string;
  labels?: Record<string, string>;
  restart: 'unless-stopped';
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string>;
  secrets?: string[];
  ports: string[];
  volumes: string[];
  networks: string[];
  shm_size?: string;
  healthcheck?: ComposeHealthcheck;
  depends_on?: Record<string, { condition: 'service_healthy' | 'service_started' }>;
  stop_signal?: string;
  stop_grace_period: string;
}

function secretsOf(spec: ClusterSpec, roles: RoleSpec[]): { environment: Record<string, string>; secrets?: string[] } {
  return serviceSecrets(spec, roles.map((r) => r.passwordEnv));
}

function published(spec: ClusterSpec, hostPort: number, containerPort: number): string {
  return `${spec.bindAddress}:${hostPort}:${containerPort}`;
}

/**
 * The service's folder of generated files, mounted whole (read-only): synth replaces files by
 * rename, which a single-file bind mount would never show the running container.
 */
function mounts(spec: ClusterSpec, id: string): string[] {
  const files = serviceMounts(spec, id);
  const configDir = posix.dirname(files[0]!.mountedAt);
  const elsewhere = files.filter((m) => !m.mountedAt.startsWith(`${configDir}/`));
  return [`./${id}:${configDir}:ro`, ...elsewhere.map((m) => `./${m.path}:${m.mountedAt}:ro`)];
}

function healthy(ids: string[]): Record<string, { condition: 'service_healthy' }> {
  return Object.fromEntries([...new Set(ids)].map((id) => [id, { condition: 'service_healthy' as const }]));
}

/** A TCP connect, which PostgreSQL and Pgpool-II accept without logging anything. */
function tcpProbe(port: number): string {
  return `exec 3<>/dev/tcp/127.0.0.1/${port}`;
}

export function dataVolumeName(node: PostgresNodeSpec): string {
  return `${node.id}-data`;
}

/** The cluster-state volume (the primary claim), mounted read-write where the claim is read or written. */
function clusterStateMount(spec: ClusterSpec): string[] {
  return usesClusterState(spec) ? [`${CLUSTER_STATE_VOLUME}:${CLUSTER_STATE_DIR}`] : [];
}

/** `$$` is how a compose file writes a `$` it must not interpolate: the shell of the check expands it. */
function binPath(spec: ClusterSpec): string {
  return `PATH=${shellQuote(`/usr/lib/postgresql/${spec.postgresVersion}/bin`)}:$$PATH`;
}

/**
 * Ready means accepting queries over the socket (as the superuser, by trust, so nothing is
 * logged) and listening on TCP: the primary's bootstrap runs a server on the socket only, and
 * dependents must not start against it.
 */
function postgresHealthcheck(spec: ClusterSpec, node: PostgresNodeSpec): ComposeHealthcheck {
  const isReady = ['pg_isready', '-q', '-h', node.paths.socketDir, '-p', node.port.listenPort, '-U', spec.roles.superuser.name, '-d', 'postgres'];
  // The primary also needs its bootstrap finished: init.sh writes this file last.
  const bootstrapped = node.role === 'primary' ? `test -f ${shellQuote(`${node.paths.dataDir}/${BOOTSTRAP_DONE}`)} && ` : '';
  return {
    test: ['CMD', 'bash', '-c', `${bootstrapped}${binPath(spec)} ${isReady.map(shellQuote).join(' ')} && ${tcpProbe(node.port.listenPort)}`],
    interval: '5s',
    timeout: '5s',
    retries: 5,
    start_period: node.role === 'primary' ? '5m' : '30m',
  };
}

/** The roles the primary's init script creates, by the variables holding their passwords. */
function bootstrapRoles(spec: ClusterSpec, node: PostgresNodeSpec): RoleSpec[] {
  const owner = node.primary ? [node.primary.owner] : [];
  return [spec.roles.superuser, spec.roles.replication, ...owner, ...spec.pgpools.map((p) => p.checkUser)];
}

export function postgresService(spec: ClusterSpec, node: PostgresNodeSpec): ComposeService {
  const roles = node.role === 'primary' ? bootstrapRoles(spec, node) : [spec.roles.replication];
  return {
    image: node.image,
    hostname: node.id,
    restart: 'unless-stopped',
    // pgsynth's entrypoint starts every node (initdb or base backup, bootstrap, then postgres with
    // the generated config); it needs only what docs/running.md lists from the image.
    entrypoint: ['bash', `${node.paths.configDir}/entrypoint.sh`],
    ...secretsOf(spec, roles),
    ports: [published(spec, node.port.hostPort, node.port.containerPort)],
    volumes: [`${dataVolumeName(node)}:${node.paths.dataDir}`, ...clusterStateMount(spec), ...mounts(spec, node.id)],
    networks: [spec.network.name],
    shm_size: '256m',
    healthcheck: postgresHealthcheck(spec, node),
    // Started, not healthy: after a failover the node promoted may be this replica, and the initial
    // primary then waits for it (its claim) before it is healthy. A replica to clone waits in its
    // entrypoint for whichever peer accepts writes.
    ...(node.replica ? { depends_on: { [node.replica.upstreamId]: { condition: 'service_started' as const } } } : {}),
    // SIGINT is the fast shutdown (SIGTERM's smart shutdown waits for every client to leave).
    stop_signal: 'SIGINT',
    stop_grace_period: '60s',
  };
}

/**
 * Healthy means Pgpool serves a session: a login (SCRAM, as the application role over its
 * socket) and a query, which fails while Pgpool cannot reach a backend it holds attached. A bare
 * TCP probe stayed green while every session failed. A Pgpool with no primary of this cluster
 * behind it (explicit backends only) has no role to log in as: a TCP probe.
 */
function pgpoolHealthcheck(spec: ClusterSpec, pool: PgpoolSpec): ComposeHealthcheck {
  const primary = spec.postgres.find((n) => n.primary !== undefined && pool.backends.some((b) => b.nodeId === n.id));
  const check = primary?.primary
    ? [
        `PGPASSWORD="${composeShellSecret(spec, primary.primary.owner.passwordEnv)}" PGCONNECT_TIMEOUT=4`,
        ...['psql', '-XAtq', '-h', pool.paths.socketDir, '-p', String(pool.port.listenPort), '-U', primary.primary.owner.name, '-d', primary.primary.database, '-c', 'SELECT 1'].map(shellQuote),
        '>/dev/null',
      ].join(' ')
    : tcpProbe(pool.port.listenPort);
  return { test: ['CMD', 'bash', '-c', check], interval: '5s', timeout: '5s', retries: 5, start_period: '2m' };
}

/**
 * Pgpool waits for the primary and the synchronous standbys (without which no commit completes)
 * to be healthy, but only for the asynchronous ones to be started: one broken async standby must
 * not keep Pgpool and HAProxy down. Pgpool's health check detaches it and auto_failback
 * re-attaches it once it streams.
 */
function pgpoolDependencies(spec: ClusterSpec, pool: PgpoolSpec): NonNullable<ComposeService['depends_on']> {
  const dependencies: NonNullable<ComposeService['depends_on']> = {};
  for (const backend of pool.backends) {
    const node = spec.postgres.find((n) => n.id === backend.nodeId);
    if (!node) continue;
    const waitsForHealth = node.role === 'primary' || node.replica?.synchronous === true;
    dependencies[node.id] = { condition: waitsForHealth ? 'service_healthy' : 'service_started' };
  }
  return dependencies;
}

export function pgpoolService(spec: ClusterSpec, pool: PgpoolSpec): ComposeService {
  const ports = [published(spec, pool.port.hostPort, pool.port.containerPort)];
  if (pool.pcp.hostPort !== null) ports.push(published(spec, pool.pcp.hostPort, pool.pcp.port));
  const dependencies = pgpoolDependencies(spec, pool);
  return {
    image: pool.image,
    hostname: pool.id,
    restart: 'unless-stopped',
    entrypoint: ['bash', `${pool.paths.configDir}/entrypoint.sh`],
    // The replication role's password lets failover.sh promote a standby and make its slots.
    ...secretsOf(spec, [...pool.poolPasswdRoles, pool.pcp.user, ...(pool.failover === 'automatic' ? [spec.roles.replication] : [])]),
    ports,
    volumes: [...(pool.failover === 'automatic' ? clusterStateMount(spec) : []), ...mounts(spec, pool.id)],
    networks: [spec.network.name],
    healthcheck: pgpoolHealthcheck(spec, pool),
    ...(Object.keys(dependencies).length ? { depends_on: dependencies } : {}),
    // SIGTERM is Pgpool's smart shutdown, which waits for every client to leave.
    stop_signal: 'SIGINT',
    stop_grace_period: '30s',
  };
}

/**
 * haproxy on PATH runs the generated config itself: -W master-worker, -db in the foreground.
 * haproxy.cfg reads the stats password from the environment: with secret files, a shell puts it
 * there from its file first.
 */
function haproxyEntrypoint(spec: ClusterSpec, proxy: HaproxySpec): string[] {
  const haproxy = ['haproxy', '-W', '-db', '-f', `${proxy.paths.configDir}/haproxy.cfg`];
  if (!spec.secretFiles || !proxy.stats) return haproxy;
  const env = proxy.stats.user.passwordEnv;
  return ['bash', '-c', `${env}="${composeShellSecret(spec, env)}" && export ${env} && exec ${haproxy.map(shellQuote).join(' ')}`];
}

export function haproxyService(spec: ClusterSpec, proxy: HaproxySpec): ComposeService {
  const frontends = [proxy.readWrite, ...(proxy.readOnly ? [proxy.readOnly] : []), ...(proxy.stats ? [proxy.stats] : [])];
  const upstream = proxy.upstream.kind === 'pgpool' ? [proxy.upstream.id] : proxy.upstream.ids;
  return {
    image: proxy.image,
    hostname: proxy.id,
    restart: 'unless-stopped',
    ...(proxy.stats ? secretsOf(spec, [proxy.stats.user]) : {}),
    entrypoint: haproxyEntrypoint(spec, proxy),
    ports: frontends.map((f) => published(spec, f.port.hostPort, f.port.containerPort)),
    volumes: mounts(spec, proxy.id),
    networks: [spec.network.name],
    depends_on: healthy(upstream),
    stop_grace_period: '10s',
  };
}
