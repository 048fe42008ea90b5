import type { PgPool } from '../pgpool.js';
import { Replica } from '../replica.js';
import type { PgpoolBackendSpec, PgpoolSpec, RoleSpec } from '../spec.js';
import { backendNode, nodeRef, type ResolveContext } from './context.js';
import { pgpoolHba } from './hba.js';
import { role } from './secrets.js';

/** Every Pgpool, in creation order. Registers each one's check role and PCP admin secrets. */
export function resolvePgpools(ctx: ResolveContext): PgpoolSpec[] {
  return ctx.pgpools.map((p) => pgpoolSpec(ctx, p));
}

function pgpoolSpec(ctx: ResolveContext, p: PgPool): PgpoolSpec {
  const { plan, target, localDir } = ctx;
  const checkUser = ctx.checkUserOf(p);
  const pcpUser = role(p.props.pcpUser, p.props.pcpPassword ?? ctx.cluster.defaultSecret('PCP_PASSWORD'));
  ctx.secrets.add(checkUser, `password of Pgpool's check role '${checkUser.name}'`, {
    node: nodeRef(p), field: 'password', identity: `role:${checkUser.name}`, defaulted: p.props.password === undefined,
  });
  ctx.secrets.add(pcpUser, `password of Pgpool's PCP admin '${pcpUser.name}'`, {
    node: nodeRef(p), field: 'pcpPassword', identity: `pcp:${pcpUser.name}`, defaulted: p.props.pcpPassword === undefined,
  });
  const port = plan.published(p.props.hostPort, p.props.port);
  const pcpListen = target === 'compose' ? p.props.pcpPort : (p.props.pcpHostPort ?? p.props.pcpPort);
  return {
    kind: 'pgpool',
    ...nodeRef(p),
    version: ctx.props.pgpoolVersion,
    image: p.props.image ?? ctx.images.pgpool,
    address: plan.endpoint(p.id, port),
    listenAddresses: plan.listenAddresses,
    port,
    // PCP stays on the container's loopback unless the user publishes it.
    pcp: { listenAddresses: target === 'local' ? '127.0.0.1' : p.props.pcpHostPort ? '*' : 'localhost', port: pcpListen, hostPort: p.props.pcpHostPort ?? null, user: pcpUser },
    numInitChildren: p.props.numInitChildren,
    maxPool: p.props.maxPool,
    reservedConnections: p.props.reservedConnections,
    loadBalance: p.props.loadBalance,
    statementLevelLoadBalance: p.props.statementLevelLoadBalance,
    srCheckPeriod: p.props.srCheckPeriod,
    healthCheck: p.props.healthCheck,
    searchPrimaryNodeTimeout: p.props.searchPrimaryNodeTimeout,
    failover: failoverOf(p),
    checkUser,
    backends: p.props.backends.map((b, index) => backendSpec(ctx, b, index, failoverOf(p))),
    poolHba: pgpoolHba(ctx),
    // pool_hba.conf asks for scram, which Pgpool checks against pool_passwd: every application role
    // needs a line there, and Pgpool reads its check role's password from it too.
    poolPasswdRoles: uniqueRoles([...ctx.applicationRoles, checkUser]),
    paths:
      target === 'compose'
        ? { configDir: '/etc/pgpool2', socketDir: '/var/run/pgpool', pcpSocketDir: '/var/run/pgpool', pidFile: '/var/run/pgpool/pgpool.pid', logDir: '/var/run/pgpool', logFile: '' }
        : { configDir: plan.dir(p.id, ''), socketDir: `${localDir}/run`, pcpSocketDir: `${localDir}/run`, pidFile: plan.dir(p.id, 'pgpool.pid'), logDir: plan.dir(p.id, 'log'), logFile: plan.dir(p.id, 'pgpool.log') },
  };
}

/** One backend_* entry: a cluster node as this target reaches it, or an explicit address as given. */
/** Automatic on both targets: synth up and the compose entrypoints fence a returning primary. */
function failoverOf(p: PgPool): PgpoolSpec['failover'] {
  return p.props.failover ?? 'automatic';
}

function backendSpec(ctx: ResolveContext, b: PgPool['props']['backends'][number], index: number, failover: PgpoolSpec['failover']): PgpoolBackendSpec {
  const field = `backends[${index}]`;
  const weight = ('weight' in b && b.weight !== undefined ? b.weight : 1) as number;
  const node = backendNode(b);
  if (!node) {
    const { host, port } = b as { host: string; port: number };
    return { index, nodeId: null, field, host, port, weight, flag: 'ALLOW_TO_FAILOVER', applicationName: '', dataDirectory: '' };
  }
  const endpoint = ctx.endpointOf(node);
  return {
    index,
    nodeId: node.id,
    field,
    host: endpoint.host,
    port: endpoint.port,
    weight,
    // With manual failover nothing promotes a standby, so detaching the primary would only stop
    // every write until Pgpool restarts: it stays attached and serves again once it is back.
    flag: failover === 'manual' && !Replica.isReplica(node) ? 'DISALLOW_TO_FAILOVER' : 'ALLOW_TO_FAILOVER',
    // The initial primary streams under its id once it rejoins as a standby.
    applicationName: Replica.isReplica(node) ? ctx.applicationNameOf(node) : node.id,
    dataDirectory: ctx.pathsOf(node.id).dataDir,
  };
}

/** First role of each name: a role's pool_passwd line is written once. */
function uniqueRoles(roles: RoleSpec[]): RoleSpec[] {
  const seen = new Set<string>();
  return roles.filter((r) => (seen.has(r.name) ? false : (seen.add(r.name), true)));
}
