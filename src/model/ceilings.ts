import type { SettingValue } from '../settings/issue.js';
import { PGPOOL_LISTEN_BACKLOG_MULTIPLIER } from './defaults.js';
import type { ClusterSpec, HaproxyFrontendSpec, HaproxySpec, PgpoolSpec, PostgresNodeSpec } from './spec.js';

// How many concurrent client sessions each entry point of the cluster serves, and what happens to
// the next client: the one place that derives it, and the connection arithmetic under it. The
// resolver sizes HAProxy's server maxconn and the default limits from it, the rules check the
// stack against it, `synth status` shows sessions in use against it.

export interface SessionCeiling {
  /** Service id. */
  id: string;
  path: string;
  /** What a client connects to: `postgres`, `pgpool`, `haproxy rw`, `haproxy ro`. */
  entry: string;
  port: number;
  /** Concurrent client sessions served. */
  sessions: number;
  /** How `sessions` is computed, with the numbers. */
  formula: string;
  /** What happens to a client past `sessions`. */
  beyond: string;
}

/**
 * `reserved_connections` (PostgreSQL 16+) holds back ordinary connections as
 * superuser_reserved_connections does. It is not a typed option: it comes from `settings`.
 */
export function reservedForRoles(postgresVersion: number, settings: Readonly<Record<string, SettingValue | undefined>>): number {
  if (postgresVersion < 16) return 0;
  const value = Number(settings['reserved_connections'] ?? 0);
  return Number.isFinite(value) ? value : 0;
}

/** Sessions Pgpool serves at once: one per child, minus the children `reserved_connections` keeps to refuse with. */
export function pgpoolSessions(pool: Pick<PgpoolSpec, 'numInitChildren' | 'reservedConnections'>): number {
  return pool.numInitChildren - pool.reservedConnections;
}

/** Clients the kernel holds in Pgpool's listen queue while every child is busy. */
export function pgpoolListenBacklog(pool: Pick<PgpoolSpec, 'numInitChildren'>): number {
  return pool.numInitChildren * PGPOOL_LISTEN_BACKLOG_MULTIPLIER;
}

/** Ordinary (non-superuser) sessions a node accepts, Pgpool's backend connections included. */
export function postgresSessions(spec: Pick<ClusterSpec, 'postgresVersion'>, n: PostgresNodeSpec): { sessions: number; formula: string } {
  const { maxConnections, superuserReservedConnections } = n.limits;
  const reserved = reservedForRoles(spec.postgresVersion, n.settings);
  const sessions = maxConnections - superuserReservedConnections - reserved;
  const formula = reserved
    ? `maxConnections − superuserReservedConnections − reserved_connections = ${maxConnections} − ${superuserReservedConnections} − ${reserved} = ${sessions}`
    : `maxConnections − superuserReservedConnections = ${maxConnections} − ${superuserReservedConnections} = ${sessions}`;
  return { sessions, formula };
}

/** Sessions one HAProxy server line admits: its maxconn, else what the server itself serves. */
function serverSessions(spec: ClusterSpec, haproxy: HaproxySpec, frontend: HaproxyFrontendSpec, name: string): number {
  if (frontend.serverMaxConn !== null) return frontend.serverMaxConn;
  const node = spec.postgres.find((n) => n.id === name);
  const pool = spec.pgpools.find((p) => p.id === name);
  if (pool) return pgpoolSessions(pool);
  return node ? postgresSessions(spec, node).sessions : haproxy.maxConn;
}

/** The replication groups (node ids) every member of which is among `ids`. */
function wholeGroups(spec: ClusterSpec, ids: string[]): string[][] {
  const groupOf = (n: PostgresNodeSpec) => n.replica?.upstreamId ?? n.id;
  const groups = new Map<string, string[]>();
  for (const n of spec.postgres) groups.set(groupOf(n), [...(groups.get(groupOf(n)) ?? []), n.id]);
  return [...groups.values()].filter((members) => members.length > 1 && members.every((id) => ids.includes(id)));
}

/** Sessions an HAProxy frontend forwards at once: its active servers' maxconn, capped by the global maxconn. */
export function frontendSessions(spec: ClusterSpec, haproxy: HaproxySpec, frontend: HaproxyFrontendSpec): { sessions: number; formula: string } {
  const active = frontend.servers.filter((s) => !s.backup);
  const perServer = active.map((s) => serverSessions(spec, haproxy, frontend, s.name));
  // Of servers checked for the primary role only one passes at a time: the primary.
  const onePrimary = active.every((s) => s.check === 'primary') && active.length > 1;
  // Of servers checked for the standby role, one is the primary of the moment wherever a whole
  // replication group is listed: all but the largest of that group serve.
  const sessionsOf = (id: string) => perServer[active.findIndex((s) => s.name === id)]!;
  const standbyChecks = active.every((s) => s.check === 'standby');
  const primaries = standbyChecks ? wholeGroups(spec, active.map((s) => s.name)).map((group) => Math.max(...group.map(sessionsOf))) : [];
  const sum = perServer.reduce((a, b) => a + b, 0);
  const servers = onePrimary ? Math.max(...perServer) : sum - primaries.reduce((a, b) => a + b, 0);
  const sessions = Math.min(servers, haproxy.maxConn);
  const minusPrimaries = primaries.length ? ` − ${primaries.join(' − ')} (the primary)` : '';
  const serversText =
    active.length === 1 ? `server maxconn ${servers}` : onePrimary ? `server maxconn ${servers} (one primary at a time)` : `server maxconn ${perServer.join(' + ')}${minusPrimaries} = ${servers}`;
  return { sessions, formula: servers > haproxy.maxConn ? `global maxconn ${haproxy.maxConn} (below ${serversText})` : serversText };
}

/** Every entry point of the cluster with its session ceiling, in service order. */
export function sessionCeilings(spec: ClusterSpec): SessionCeiling[] {
  const out: SessionCeiling[] = [];
  for (const n of spec.postgres) {
    const { sessions, formula } = postgresSessions(spec, n);
    out.push({ id: n.id, path: n.path, entry: 'postgres', port: n.port.listenPort, sessions, formula, beyond: 'refused: "sorry, too many clients already"' });
  }
  for (const pool of spec.pgpools) {
    const sessions = pgpoolSessions(pool);
    out.push({
      id: pool.id,
      path: pool.path,
      entry: 'pgpool',
      port: pool.port.listenPort,
      sessions,
      formula: pool.reservedConnections ? `num_init_children − reserved_connections = ${pool.numInitChildren} − ${pool.reservedConnections} = ${sessions}` : `num_init_children = ${sessions}`,
      beyond: pool.reservedConnections
        ? 'refused: "Sorry, too many clients already"'
        : `wait in Pgpool's listen queue (up to ${pgpoolListenBacklog(pool)}, no timeout; more are dropped by the kernel)`,
    });
  }
  for (const h of spec.haproxies) {
    const frontends = [h.readWrite, ...(h.readOnly ? [h.readOnly] : [])];
    const shared = h.readOnly && JSON.stringify(h.readOnly.servers) === JSON.stringify(h.readWrite.servers);
    for (const f of frontends) {
      const { sessions, formula } = frontendSessions(spec, h, f);
      out.push({
        id: h.id,
        path: h.path,
        entry: `haproxy ${f.name}`,
        port: f.port.listenPort,
        sessions,
        formula: shared ? `${formula}, shared by rw and ro` : formula,
        beyond: `wait in HAProxy's queue up to timeouts.queue (${h.timeouts.queue}), then closed ("server closed the connection unexpectedly")`,
      });
    }
  }
  return out;
}
