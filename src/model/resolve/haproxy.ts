import { pgpoolSessions } from '../ceilings.js';
import { DEFAULT_PORTS } from '../defaults.js';
import type { Haproxy } from '../haproxy.js';
import { PgPool } from '../pgpool.js';
import { Replica } from '../replica.js';
import type { HaproxyServerSpec, HaproxySpec, PgpoolSpec } from '../spec.js';
import { backendNode, nodeRef, type PostgresNode, type ResolveContext } from './context.js';
import { role } from './secrets.js';

/**
 * Every HAProxy, in creation order, given the resolved Pgpools (an HAProxy over Pgpool points
 * at the Pgpool's resolved address). Registers each stats user's secret.
 */
export function resolveHaproxies(ctx: ResolveContext, pgpools: PgpoolSpec[]): HaproxySpec[] {
  return ctx.haproxies.map((h) => haproxySpec(ctx, h, pgpools));
}

function haproxySpec(ctx: ResolveContext, h: Haproxy, pgpools: PgpoolSpec[]): HaproxySpec {
  const { plan, target, localDir } = ctx;
  const hp = h.props;
  const { upstream, rwServers, roServers } = servers(ctx, h, pgpools);
  // Over Pgpool, no more at once than Pgpool serves (num_init_children − reserved_connections), to
  // Pgpool and to each standby of the read-only frontend; HAProxy queues the rest.
  const serverMaxConn = readOnlyServerMaxConn(h);
  const statsUser = hp.stats ? role(hp.stats.user, hp.stats.password ?? ctx.cluster.defaultSecret('HAPROXY_STATS_PASSWORD')) : null;
  if (statsUser) {
    ctx.secrets.add(statsUser, `password of the HAProxy stats page user '${statsUser.name}'`, {
      node: nodeRef(h), field: 'stats.password', identity: `stats:${statsUser.name}`, defaulted: hp.stats?.password === undefined,
    });
  }
  const bindAddress = target === 'compose' ? '*' : '127.0.0.1';
  return {
    kind: 'haproxy',
    ...nodeRef(h),
    image: hp.image ?? ctx.images.haproxy,
    upstream,
    readWrite: { name: 'rw', port: plan.published(hp.readWrite.hostPort, hp.readWrite.port ?? DEFAULT_PORTS.readWrite), bindAddress, servers: rwServers, serverMaxConn },
    readOnly: hp.readOnly
      ? { name: 'ro', port: plan.published(hp.readOnly.hostPort, hp.readOnly.port ?? DEFAULT_PORTS.readOnly), bindAddress, servers: roServers, serverMaxConn }
      : null,
    stats: hp.stats && statsUser ? { port: plan.published(hp.stats.hostPort, hp.stats.port ?? DEFAULT_PORTS.stats), bindAddress, user: statsUser } : null,
    checkUser: hp.checkUser,
    maxConn: hp.maxConn,
    timeouts: hp.timeouts,
    paths:
      target === 'compose'
        ? // The official images run HAProxy as 'haproxy' and Pgpool as 'postgres': only these dirs are theirs.
          { configDir: '/usr/local/etc/haproxy', pidFile: '/var/lib/haproxy/haproxy.pid', logFile: '', adminSocket: '/var/lib/haproxy/admin.sock' }
        : { configDir: plan.dir(h.id, ''), pidFile: plan.dir(h.id, 'haproxy.pid'), logFile: plan.dir(h.id, 'haproxy.log'), adminSocket: `${localDir}/run/${h.id}.sock` },
  };
}

/**
 * The nodes an HAProxy's read-only frontend lists: of Pgpool's backends (or the nodes listed),
 * every replica and the primary of each replica. Each is checked for pg_is_in_recovery() = t, so
 * the standbys of the moment serve: after a failover the promoted replica drops out and the old
 * primary, rejoined as a standby, serves reads again.
 */
export function readOnlyNodes(h: Haproxy): PostgresNode[] {
  if (!h.props.readOnly) return [];
  const listed = PgPool.isPgPool(h.props.upstream) ? h.props.upstream.props.backends.map((b) => backendNode(b)) : h.props.upstream;
  const nodes = listed.filter((n): n is PostgresNode => n !== null);
  const primariesOfReplicas = new Set<PostgresNode | null>(nodes.filter(Replica.isReplica).map((r) => r.props.primary));
  return nodes.filter((n) => Replica.isReplica(n) || primariesOfReplicas.has(n));
}

/** Sessions the read-only frontend sends to each standby at once (null: no limit). */
export function readOnlyServerMaxConn(h: Haproxy): number | null {
  return h.props.serverMaxConn ?? (PgPool.isPgPool(h.props.upstream) ? pgpoolSessions(h.props.upstream.props) : null);
}

/**
 * The servers behind each frontend. Read-write: over Pgpool, the one Pgpool (it routes writes to
 * the primary); direct, whichever node answers as primary. Read-only: readOnlyNodes, each checked
 * to answer pg_is_in_recovery() = t, so no write is ever executed there, and reads need no free
 * Pgpool child.
 */
function servers(
  ctx: ResolveContext,
  h: Haproxy,
  pgpools: PgpoolSpec[],
): { upstream: HaproxySpec['upstream']; rwServers: HaproxyServerSpec[]; roServers: HaproxyServerSpec[] } {
  const upstream = h.props.upstream;
  const roServers = readOnlyNodes(h).map((n) => server(n, 'standby'));
  if (PgPool.isPgPool(upstream)) {
    // A Pgpool outside this cluster is not among the resolved ones: address it as this plan would.
    const ep = pgpools.find((p) => p.id === upstream.id)?.address ?? ctx.plan.endpoint(upstream.id, ctx.plan.published(upstream.props.hostPort, upstream.props.port));
    const rwServers: HaproxyServerSpec[] = [{ name: upstream.id, host: ep.host, port: ep.port, check: 'pgpool', backup: false }];
    return { upstream: { kind: 'pgpool', id: upstream.id }, rwServers, roServers };
  }
  return { upstream: { kind: 'direct', ids: upstream.map((n) => n.id) }, rwServers: upstream.map((n) => server(n, 'primary')), roServers };

  function server(n: PostgresNode, check: 'primary' | 'standby'): HaproxyServerSpec {
    return { name: n.id, ...ctx.endpointOf(n), check, backup: false };
  }
}
