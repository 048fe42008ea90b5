import type { ClusterSpec, HaproxySpec, PostgresNodeSpec, RoleSpec } from '../model/spec.js';
import { HAPROXY_STATS_URI } from '../render/haproxy/index.js';

// Connection URLs of a local cluster: the application role and database, never a password.

export interface LocalUrls {
  /** The (first) primary. */
  primary: string;
  /** Every replica by id. */
  replicas: Record<string, string>;
  /** The first Pgpool-II, when the cluster has one. */
  pgpool: string | undefined;
  /** The first HAProxy's read-write and read-only frontends and stats page. */
  haproxyRw: string | undefined;
  haproxyRo: string | undefined;
  haproxyStats: string | undefined;
  /** Every service by id (an HAProxy by its RW frontend). */
  byId: Record<string, string>;
}

export function postgresUrl(user: string, port: number, database: string, host = '127.0.0.1'): string {
  return `postgresql://${encodeURIComponent(user)}@${host}:${port}/${encodeURIComponent(database)}`;
}

/** The primary clients mean by default: the first one. */
export function mainPrimary(spec: ClusterSpec): PostgresNodeSpec & { primary: NonNullable<PostgresNodeSpec['primary']> } {
  const node = spec.postgres.find((n) => n.primary);
  if (!node?.primary) throw new Error(`cluster ${spec.id} has no primary`);
  return node as PostgresNodeSpec & { primary: NonNullable<PostgresNodeSpec['primary']> };
}

/** The application role and database of the primary a node belongs to (the main one for Pgpool and HAProxy). */
export function appRoleFor(spec: ClusterSpec, node?: PostgresNodeSpec): { owner: RoleSpec; database: string } {
  const primaryId = node?.replica?.upstreamId ?? node?.id;
  const primary = spec.postgres.find((n) => n.id === primaryId && n.primary) ?? mainPrimary(spec);
  return { owner: primary.primary!.owner, database: primary.primary!.database };
}

/** The stats page of an HAProxy (at the `stats uri` its haproxy.cfg sets), or undefined without one. */
export function haproxyStatsUrl(proxy: HaproxySpec): string | undefined {
  return proxy.stats ? `http://127.0.0.1:${proxy.stats.port.listenPort}${HAPROXY_STATS_URI}` : undefined;
}

export function localUrls(spec: ClusterSpec): LocalUrls {
  const app = appRoleFor(spec);
  const url = (port: number) => postgresUrl(app.owner.name, port, app.database);
  const byId: Record<string, string> = {};
  const replicas: Record<string, string> = {};
  for (const node of spec.postgres) {
    const own = appRoleFor(spec, node);
    byId[node.id] = postgresUrl(own.owner.name, node.port.listenPort, own.database);
    if (node.role === 'replica') replicas[node.id] = byId[node.id]!;
  }
  for (const pool of spec.pgpools) byId[pool.id] = url(pool.port.listenPort);
  for (const proxy of spec.haproxies) byId[proxy.id] = url(proxy.readWrite.port.listenPort);
  const proxy = spec.haproxies[0];
  return {
    primary: byId[mainPrimary(spec).id]!,
    replicas,
    pgpool: spec.pgpools[0] && byId[spec.pgpools[0].id],
    haproxyRw: proxy && url(proxy.readWrite.port.listenPort),
    haproxyRo: proxy?.readOnly ? url(proxy.readOnly.port.listenPort) : undefined,
    haproxyStats: proxy && haproxyStatsUrl(proxy),
    byId,
  };
}
