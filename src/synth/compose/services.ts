import { posix } from 'node:path';
import type { ClusterSpec, HaproxySpec, PgpoolSpec, PostgresNodeSpec, RoleSpec } from '../../model/spec.js';
import { shellQuote } from '../shell.js';
import { BOOTSTRAP_DONE } from '../postgres/primary-init-script.js';
import { serviceMounts } from './layout.js';

// One compose service per node of the spec. Secrets appear only as ${VAR} references that
// compose fills from .env, and refuses to start without.

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
  hostname: string;
  labels?: Record<string, string>;
  restart: 'unless-stopped';
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string>;
  ports: string[];
  volumes: string[];
  networks: string[];
  shm_size?: string;
  healthcheck?: ComposeHealthcheck;
  depends_on?: Record<string, { condition: 'service_healthy' }>;
  stop_signal?: string;
  stop_grace_period: string;
}

/** `${VAR:?…}`: compose stops with this message instead of starting with an empty password. */
export function secretReference(env: string): string {
  return `\${${env}:?set ${env} in .env (see .env.example)}`;
}

function secretsOf(roles: RoleSpec[]): Record<string, string> {
  return Object.fromEntries(roles.map((r) => [r.passwordEnv, secretReference(r.passwordEnv)]));
}

function published(spec: ClusterSpec, hostPort: number, containerPort: number): string {
  return `${spec.bindAddress}:${hostPort}:${containerPort}`;
}

/**
 * The service's folder of generated files, mounted whole (read-only): synth replaces files by
 * rename, which a single-file bind mount would never show the running container. The primary's
 * init.sh also goes where the image runs first-start scripts.
 */
function mounts(spec: ClusterSpec, id: string): string[] {
  const files = serviceMounts(spec, id);
  const configDir = posix.dirname(files[0]!.mountedAt);
  const elsewhere = files.filter((m) => posix.dirname(m.mountedAt) !== configDir);
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

/**
 * Ready means accepting queries over the socket (as the superuser, by trust, so nothing is
 * logged) and listening on TCP: docker-library's first-start initialization runs a server on the
 * socket only, and dependents must not start against it.
 */
function postgresHealthcheck(spec: ClusterSpec, node: PostgresNodeSpec): ComposeHealthcheck {
  const isReady = ['pg_isready', '-q', '-h', node.paths.socketDir, '-p', node.port.listenPort, '-U', spec.roles.superuser.name, '-d', 'postgres'];
  // The primary also needs its bootstrap finished: init.sh writes this file last.
  const bootstrapped = node.role === 'primary' ? `test -f ${shellQuote(`${node.paths.dataDir}/${BOOTSTRAP_DONE}`)} && ` : '';
  return {
    test: ['CMD', 'bash', '-c', `${bootstrapped}${isReady.map(shellQuote).join(' ')} && ${tcpProbe(node.port.listenPort)}`],
    interval: '5s',
    timeout: '5s',
    retries: 5,
    start_period: node.role === 'primary' ? '5m' : '30m',
  };
}

/** The roles the primary's init script creates, by the variables holding their passwords. */
function bootstrapRoles(spec: ClusterSpec, node: PostgresNodeSpec): RoleSpec[] {
  const owner = node.primary ? [node.primary.owner] : [];
  return [spec.roles.replication, ...owner, ...spec.pgpools.map((p) => p.checkUser)];
}

export function postgresService(spec: ClusterSpec, node: PostgresNodeSpec): ComposeService {
  const configFile = `${node.paths.configDir}/postgresql.conf`;
  const environment: Record<string, string> = { PGDATA: node.paths.dataDir };
  if (node.role === 'primary') {
    environment.POSTGRES_USER = spec.roles.superuser.name;
    // The image defaults POSTGRES_DB to POSTGRES_USER and creates it before init.sh runs; with a
    // synchronous standby named, that CREATE DATABASE would wait forever for a standby that
    // cannot exist yet. `postgres` exists already, so the image creates nothing.
    environment.POSTGRES_DB = 'postgres';
    environment.POSTGRES_PASSWORD = secretReference(spec.roles.superuser.passwordEnv);
    Object.assign(environment, secretsOf(bootstrapRoles(spec, node)));
  } else {
    Object.assign(environment, secretsOf([spec.roles.replication]));
  }
  return {
    image: node.image,
    hostname: node.id,
    restart: 'unless-stopped',
    // A replica's entrypoint.sh starts postgres with the generated config itself and passes its
    // own arguments on to it: a command here would reach postgres as stray arguments.
    ...(node.role === 'replica'
      ? { entrypoint: ['bash', `${node.paths.configDir}/entrypoint.sh`] }
      : { command: ['postgres', '-c', `config_file=${configFile}`] }),
    environment,
    ports: [published(spec, node.port.hostPort, node.port.containerPort)],
    volumes: [`${dataVolumeName(node)}:${node.paths.dataDir}`, ...mounts(spec, node.id)],
    networks: [spec.network.name],
    shm_size: '256m',
    healthcheck: postgresHealthcheck(spec, node),
    ...(node.replica ? { depends_on: healthy([node.replica.upstreamId]) } : {}),
    stop_grace_period: '60s',
  };
}

export function pgpoolService(spec: ClusterSpec, pool: PgpoolSpec): ComposeService {
  const ports = [published(spec, pool.port.hostPort, pool.port.containerPort)];
  if (pool.pcp.hostPort !== null) ports.push(published(spec, pool.pcp.hostPort, pool.pcp.port));
  const backends = pool.backends.flatMap((b) => (b.nodeId === null ? [] : [b.nodeId]));
  return {
    image: pool.image,
    hostname: pool.id,
    restart: 'unless-stopped',
    entrypoint: ['bash', `${pool.paths.configDir}/entrypoint.sh`],
    // The replication role's password lets failover.sh promote a standby and make its slots.
    environment: secretsOf([...pool.poolPasswdRoles, pool.pcp.user, ...(pool.failover === 'automatic' ? [spec.roles.replication] : [])]),
    ports,
    volumes: mounts(spec, pool.id),
    networks: [spec.network.name],
    healthcheck: { test: ['CMD', 'bash', '-c', tcpProbe(pool.port.listenPort)], interval: '5s', timeout: '5s', retries: 5, start_period: '2m' },
    ...(backends.length ? { depends_on: healthy(backends) } : {}),
    // SIGTERM is Pgpool's smart shutdown, which waits for every client to leave.
    stop_signal: 'SIGINT',
    stop_grace_period: '30s',
  };
}

export function haproxyService(spec: ClusterSpec, proxy: HaproxySpec): ComposeService {
  const frontends = [proxy.readWrite, ...(proxy.readOnly ? [proxy.readOnly] : []), ...(proxy.stats ? [proxy.stats] : [])];
  const upstream = proxy.upstream.kind === 'pgpool' ? [proxy.upstream.id] : proxy.upstream.ids;
  return {
    image: proxy.image,
    hostname: proxy.id,
    restart: 'unless-stopped',
    ...(proxy.stats ? { environment: secretsOf([proxy.stats.user]) } : {}),
    ports: frontends.map((f) => published(spec, f.port.hostPort, f.port.containerPort)),
    volumes: mounts(spec, proxy.id),
    networks: [spec.network.name],
    depends_on: healthy(upstream),
    stop_grace_period: '10s',
  };
}
