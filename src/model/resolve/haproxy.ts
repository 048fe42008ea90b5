import { pgpoolClientCapacity } from '../capacity.js';
import { DEFAULT_PORTS } from '../defaults.js';
import type { Haproxy } from '../haproxy.js';
import { PgPool } from '../pgpool.js';
import { Primary } from '../primary.js';
import { Replica } from '../replica.js';
import type { HaproxyServerSpec, HaproxySpec, PgpoolSpec } from '../spec.js';
import { nodeRef, type PostgresNode, type ResolveContext } from './context.js';
import { role } from './secrets.js';

/**
 * Every HAProxy, in creation order, given the resolved Pgpools (an HAProxy over Pgpool points
 * at the Pgpool's resolved address). Registers each stats user's secret.
 */
export function resolveHaproxies(ctx: ResolveContext, pgpools: PgpoolSpec[]): HaproxySpec[] {
  return ctx.haproxies.map((h) => haproxySpec(ctx, h, pgpools));
}

function haproxySpec(ctx: ResolveContext, h: Haproxy, pgpools: PgpoolSpec[]): HaproxySpec {
  const { plan, target } = ctx;
  const hp = h.props;
  const { upstream, rwServers, roServers } = servers(ctx, hp.upstream, pgpools);
  const pool = hp.upstream instanceof PgPool ? hp.upstream.props : null;
  const statsUser = hp.stats ? role(hp.stats.user, hp.stats.password ?? ctx.cluster.defaultSecret('HAPROXY_STATS_PASSWORD')) : null;
  if (statsUser) ctx.secrets.add(statsUser, `password of the HAProxy stats page user '${statsUser.name}'`);
  const bindAddress = target === 'compose' ? '*' : '127.0.0.1';
  return {
    kind: 'haproxy',
    ...nodeRef(h),
    image: hp.image ?? ctx.images.haproxy,
    upstream,
    readWrite: { name: 'rw', port: plan.published(hp.readWrite.hostPort, hp.readWrite.port ?? DEFAULT_PORTS.readWrite), bindAddress, servers: rwServers },
    readOnly: hp.readOnly
      ? { name: 'ro', port: plan.published(hp.readOnly.hostPort, hp.readOnly.port ?? DEFAULT_PORTS.readOnly), bindAddress, servers: roServers }
      : null,
    stats: hp.stats && statsUser ? { port: plan.published(hp.stats.hostPort, hp.stats.port ?? DEFAULT_PORTS.stats), bindAddress, user: statsUser } : null,
    checkUser: hp.checkUser,
    maxConn: hp.maxConn,
    // Over Pgpool, no more at once than Pgpool serves (num_init_children − reserved_connections); HAProxy queues the rest.
    serverMaxConn: hp.serverMaxConn ?? (pool ? pgpoolClientCapacity(pool) : null),
    timeouts: hp.timeouts,
    paths:
      target === 'compose'
        ? // The official images run HAProxy as 'haproxy' and Pgpool as 'postgres': only these dirs are theirs.
          { configDir: '/usr/local/etc/haproxy', pidFile: '/var/lib/haproxy/haproxy.pid', logFile: '' }
        : { configDir: plan.dir(h.id, ''), pidFile: plan.dir(h.id, 'haproxy.pid'), logFile: plan.dir(h.id, 'haproxy.log') },
  };
}

/**
 * The servers behind each frontend. Over Pgpool, both frontends reach the one Pgpool (it routes
 * reads and writes itself). Direct, read-write goes to whichever node answers as primary, and
 * read-only to the standbys, with the primaries as backups for when no standby is up.
 */
function servers(
  ctx: ResolveContext,
  upstream: PgPool | PostgresNode[],
  pgpools: PgpoolSpec[],
): { upstream: HaproxySpec['upstream']; rwServers: HaproxyServerSpec[]; roServers: HaproxyServerSpec[] } {
  if (upstream instanceof PgPool) {
    // A Pgpool outside this cluster is not among the resolved ones: address it as this plan would.
    const ep = pgpools.find((p) => p.id === upstream.id)?.address ?? ctx.plan.endpoint(upstream.id, ctx.plan.published(upstream.props.hostPort, upstream.props.port));
    const rwServers: HaproxyServerSpec[] = [{ name: upstream.id, host: ep.host, port: ep.port, check: 'pgpool', backup: false }];
    return { upstream: { kind: 'pgpool', id: upstream.id }, rwServers, roServers: rwServers };
  }
  const server = (n: PostgresNode, check: 'primary' | 'standby', backup: boolean): HaproxyServerSpec => ({ name: n.id, ...ctx.endpointOf(n), check, backup });
  return {
    upstream: { kind: 'direct', ids: upstream.map((n) => n.id) },
    rwServers: upstream.map((n) => server(n, 'primary', false)),
    roServers: [
      ...upstream.filter((n) => n instanceof Replica).map((n) => server(n, 'standby', false)),
      ...upstream.filter((n) => n instanceof Primary).map((n) => server(n, 'primary', true)),
    ],
  };
}
