import { resolve as resolvePath } from 'node:path';
import type { Cluster } from './cluster.js';
import { DEFAULT_LIMITS, DEFAULT_PORTS, defaultImages, defaultSubnet, slotNameFor } from './defaults.js';
import { Haproxy } from './haproxy.js';
import { PgPool } from './pgpool.js';
import { Primary } from './primary.js';
import { Replica } from './replica.js';
import type { SecretRef } from './secret.js';
import type {
  ClusterSpec,
  Endpoint,
  HaproxyServerSpec,
  HaproxySpec,
  HbaEntry,
  PgpoolSpec,
  PostgresLimits,
  PostgresNodeSpec,
  PublishedPort,
  RoleSpec,
  Target,
} from './spec.js';

export interface ResolveOptions {
  /** Address plan. @default 'compose' */
  target?: Target;
  /** Local target: root of data, sockets and logs. @default `<cwd>/.pgsynth/local/<cluster>` */
  localDir?: string;
}

type Props = Cluster['props'];

/** Where a construct's processes live and listen, per target. */
interface AddressPlan {
  target: Target;
  listenAddresses: string;
  /** How other services reach a node listening on `port` (container) / `hostPort` (host). */
  endpoint(id: string, port: PublishedPort): Endpoint;
  published(hostPort: number, containerPort: number): PublishedPort;
  dir(id: string, sub: string): string;
  /** Address range pg_hba.conf and pool_hba.conf admit for cluster-internal and client traffic. */
  clientNet: string;
}

function addressPlan(target: Target, props: Props, localDir: string): AddressPlan {
  if (target === 'compose') {
    return {
      target,
      listenAddresses: '*',
      endpoint: (id, port) => ({ host: id, port: port.containerPort }),
      published: (hostPort, containerPort) => ({ hostPort, containerPort, listenPort: containerPort }),
      dir: (_id, sub) => sub,
      clientNet: props.network.subnet ?? defaultSubnet(props.name),
    };
  }
  return {
    target,
    listenAddresses: '127.0.0.1',
    endpoint: (_id, port) => ({ host: '127.0.0.1', port: port.hostPort }),
    published: (hostPort, containerPort) => ({ hostPort, containerPort, listenPort: hostPort }),
    dir: (id, sub) => `${localDir}/${id}${sub ? `/${sub}` : ''}`,
    clientNet: '127.0.0.1/32',
  };
}

function role(name: string, password: SecretRef): RoleSpec {
  return { name, passwordEnv: password.env };
}

/**
 * Resolves a cluster into plain data for one address plan: every default filled, every derived
 * value (slot names, application names, synchronous_standby_names, Pgpool backends, addresses,
 * pg_hba entries) computed. Never throws for rule violations: rules report those.
 */
export function resolveCluster(cluster: Cluster, options: ResolveOptions = {}): ClusterSpec {
  const props = cluster.props;
  const target = options.target ?? 'compose';
  const localDir = options.localDir ?? resolvePath('.pgsynth', 'local', props.name);
  const plan = addressPlan(target, props, localDir);
  const images = { ...defaultImages(props.postgresVersion, props.pgpoolVersion), ...props.images };
  const superuser = role(props.superuser.name ?? 'postgres', props.superuser.password ?? cluster.defaultSecret('POSTGRES_PASSWORD'));
  const replication = role(
    props.replicationUser.name ?? 'replicator',
    props.replicationUser.password ?? cluster.defaultSecret('REPLICATION_PASSWORD'),
  );

  const nodes = cluster.nodes;
  const primaries = nodes.filter((n): n is Primary => n instanceof Primary);
  const replicas = nodes.filter((n): n is Replica => n instanceof Replica);
  const pgpools = nodes.filter((n): n is PgPool => n instanceof PgPool);
  const haproxies = nodes.filter((n): n is Haproxy => n instanceof Haproxy);

  const secrets = new Map<string, string>();
  const addSecret = (r: RoleSpec, purpose: string) => {
    if (!secrets.has(r.passwordEnv)) secrets.set(r.passwordEnv, purpose);
  };
  addSecret(superuser, `password of the superuser '${superuser.name}' (local socket and bootstrap only)`);
  addSecret(replication, `password of the replication role '${replication.name}'`);

  const pgpoolSpecs = pgpools.map((p) => ({ node: p, checkUser: role(p.props.user, p.props.password ?? cluster.defaultSecret('PGPOOL_PASSWORD')) }));
  const directHaproxies = haproxies.filter((h) => Array.isArray(h.props.upstream));

  const postgresPort = (n: Primary | Replica) => plan.published(n.props.hostPort, n.props.port);
  const endpointOf = (n: Primary | Replica) => plan.endpoint(n.id, postgresPort(n));

  const baseHba = (owner: RoleSpec | null, database: string | null, allowedClients: string[] | undefined): HbaEntry[] => {
    const net = plan.clientNet;
    const entries: HbaEntry[] = [
      { type: 'local', database: 'all', user: superuser.name, method: 'trust', comment: 'bootstrap and maintenance as the superuser, over the socket only' },
      { type: 'host', database: 'replication', user: replication.name, address: net, method: 'scram-sha-256', comment: 'streaming replication and base backups' },
    ];
    for (const { checkUser } of pgpoolSpecs) {
      entries.push({ type: 'host', database: 'postgres', user: checkUser.name, address: net, method: 'scram-sha-256', comment: 'Pgpool streaming and health checks' });
    }
    for (const h of directHaproxies) {
      entries.push({ type: 'host', database: 'postgres', user: h.props.checkUser, address: net, method: 'trust', comment: `${h.id}: pg_is_in_recovery() check role, no privileges` });
    }
    if (owner && database) {
      // Under synth up every client is on 127.0.0.1: allowedClients describes the compose network.
      for (const address of target === 'compose' && allowedClients ? allowedClients : [net]) {
        entries.push({ type: 'host', database, user: owner.name, address, method: 'scram-sha-256', comment: 'application clients' });
      }
    }
    entries.push({ type: 'host', database: 'all', user: 'all', address: '0.0.0.0/0', method: 'reject', comment: 'nothing else' });
    return entries;
  };

  const primaryOwner = new Map<Primary, RoleSpec>();
  for (const p of primaries) {
    const owner = role(p.props.owner, p.props.ownerPassword ?? cluster.defaultSecret('APP_PASSWORD'));
    primaryOwner.set(p, owner);
    addSecret(owner, `password of the application role '${owner.name}' (owner of database '${p.props.database}')`);
  }

  const limitsOf = (n: Primary | Replica, fallback: PostgresLimits): PostgresLimits => ({
    maxConnections: n.props.maxConnections ?? fallback.maxConnections,
    superuserReservedConnections: n.props.superuserReservedConnections ?? fallback.superuserReservedConnections,
    maxWorkerProcesses: n.props.maxWorkerProcesses ?? fallback.maxWorkerProcesses,
    maxWalSenders: n.props.maxWalSenders ?? fallback.maxWalSenders,
    maxReplicationSlots: n.props.maxReplicationSlots ?? fallback.maxReplicationSlots,
    maxPreparedTransactions: n.props.maxPreparedTransactions ?? fallback.maxPreparedTransactions,
    maxLocksPerTransaction: n.props.maxLocksPerTransaction ?? fallback.maxLocksPerTransaction,
  });

  const paths = (id: string) =>
    target === 'compose'
      ? { dataDir: '/var/lib/postgresql/data', configDir: '/etc/pgsynth', socketDir: '/var/run/postgresql', logFile: '' }
      : { dataDir: plan.dir(id, 'data'), configDir: plan.dir(id, ''), socketDir: `${localDir}/run`, logFile: plan.dir(id, 'postgres.log') };

  const slotOf = (r: Replica): string | null =>
    r.props.slot === false ? null : r.props.slot === true ? slotNameFor(r.id) : r.props.slot;
  const appNameOf = (r: Replica) => r.props.applicationName ?? r.id;

  // Unless set, max_connections grows with what the Pgpools in front need, so the default
  // topology satisfies Pgpool's num_init_children × max_pool bound (PGS101) out of the box.
  const defaultsByPrimary = new Map<Primary, PostgresLimits>();
  const primaryDefaults = (p: Primary): PostgresLimits => {
    const known = defaultsByPrimary.get(p);
    if (known) return known;
    const reserved = p.props.superuserReservedConnections ?? DEFAULT_LIMITS.superuserReservedConnections;
    const servesThisPrimary = (n: Primary | Replica | null) => n === p || (n instanceof Replica && n.props.primary === p);
    const demand = pgpools
      .filter((pool) => pool.props.backends.some((b) => servesThisPrimary(backendNode(b))))
      .reduce((sum, pool) => sum + pool.props.numInitChildren * pool.props.maxPool + 2, 0);
    const needed = demand ? Math.ceil((demand + reserved + 10) / 10) * 10 : 0;
    const limits = { ...DEFAULT_LIMITS, maxConnections: Math.max(DEFAULT_LIMITS.maxConnections, needed) };
    defaultsByPrimary.set(p, limits);
    return limits;
  };

  // What a primary and a replica share; their role-specific part is added by the loops below.
  const nodeBase = (n: Primary | Replica, nodeRole: PostgresNodeSpec['role'], limits: PostgresLimits, hba: HbaEntry[]) => ({
    kind: 'postgres' as const,
    ...nodeRef(n),
    role: nodeRole,
    image: n.props.image ?? images.postgres,
    address: endpointOf(n),
    listenAddresses: plan.listenAddresses,
    port: postgresPort(n),
    limits,
    hotStandby: n.props.hotStandby,
    maxSlotWalKeepSize: n.props.maxSlotWalKeepSize,
    settings: n.props.settings,
    hba,
    paths: paths(n.id),
  });

  const postgres: PostgresNodeSpec[] = [];
  for (const p of primaries) {
    const ownReplicas = replicas.filter((r) => r.props.primary === p);
    const syncNames = ownReplicas.filter((r) => r.props.synchronous).map(appNameOf);
    const derivedSsn = syncNames.length ? `FIRST ${syncNames.length} (${syncNames.map(quoteStandbyName).join(', ')})` : '';
    const slots = ownReplicas.map(slotOf).filter((s): s is string => s !== null);
    const owner = primaryOwner.get(p)!;
    postgres.push({
      ...nodeBase(p, 'primary', limitsOf(p, primaryDefaults(p)), baseHba(owner, p.props.database, p.props.allowedClients)),
      primary: {
        database: p.props.database,
        owner,
        walLevel: p.props.walLevel,
        synchronousCommit: p.props.synchronousCommit,
        synchronousStandbyNames: p.props.synchronousStandbyNames ?? derivedSsn,
        synchronousStandbyNamesExplicit: p.props.synchronousStandbyNames !== undefined,
        slots: [...slots, ...p.props.extraSlots],
        extraSlots: p.props.extraSlots,
      },
    });
  }
  for (const r of replicas) {
    const upstream = r.props.primary;
    const upstreamLimits = limitsOf(upstream, primaryDefaults(upstream));
    const owner = primaryOwner.get(upstream) ?? null;
    postgres.push({
      ...nodeBase(r, 'replica', limitsOf(r, upstreamLimits), baseHba(owner, upstream.props.database, upstream.props.allowedClients)),
      replica: {
        upstreamId: upstream.id,
        upstream: endpointOf(upstream),
        applicationName: appNameOf(r),
        slotName: slotOf(r),
        synchronous: r.props.synchronous,
        hotStandbyFeedback: r.props.hotStandbyFeedback,
      },
    });
  }

  const pgpoolOut: PgpoolSpec[] = pgpoolSpecs.map(({ node: p, checkUser }) => {
    const pcpUser = role(p.props.pcpUser, p.props.pcpPassword ?? cluster.defaultSecret('PCP_PASSWORD'));
    addSecret(checkUser, `password of Pgpool's check role '${checkUser.name}'`);
    addSecret(pcpUser, `password of Pgpool's PCP admin '${pcpUser.name}'`);
    const port = plan.published(p.props.hostPort, p.props.port);
    const pcpListen = target === 'compose' ? p.props.pcpPort : (p.props.pcpHostPort ?? p.props.pcpPort);
    const backends = p.props.backends.map((b, index) => {
      const field = `backends[${index}]`;
      const weight = ('weight' in b && b.weight !== undefined ? b.weight : 1) as number;
      if ('host' in b && !(b instanceof Primary) && !(b instanceof Replica)) {
        return { index, nodeId: null, field, host: b.host, port: b.port, weight, flag: 'ALLOW_TO_FAILOVER' as const, applicationName: '', dataDirectory: '' };
      }
      const node = b instanceof Primary || b instanceof Replica ? b : b.node;
      const endpoint = endpointOf(node);
      return {
        index,
        nodeId: node.id,
        field,
        host: endpoint.host,
        port: endpoint.port,
        weight,
        flag: 'ALLOW_TO_FAILOVER' as const,
        applicationName: node instanceof Replica ? appNameOf(node) : '',
        dataDirectory: paths(node.id).dataDir,
      };
    });
    const appRoles = [...primaryOwner.values()];
    const net = plan.clientNet;
    return {
      kind: 'pgpool',
      ...nodeRef(p),
      version: props.pgpoolVersion,
      image: p.props.image ?? images.pgpool,
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
      checkUser,
      backends,
      poolHba: [
        { type: 'local', database: 'all', user: 'all', method: 'scram-sha-256', comment: 'clients over the socket' },
        { type: 'host', database: 'all', user: 'all', address: net, method: 'scram-sha-256', comment: target === 'compose' ? 'clients inside the cluster network (HAProxy, published ports)' : 'local clients' },
        { type: 'host', database: 'all', user: 'all', address: '0.0.0.0/0', method: 'reject', comment: 'nothing else' },
      ],
      poolPasswdRoles: uniqueRoles([...appRoles, checkUser]),
      paths:
        target === 'compose'
          ? { configDir: '/etc/pgpool2', socketDir: '/var/run/pgpool', pcpSocketDir: '/var/run/pgpool', pidFile: '/var/run/pgpool/pgpool.pid', logDir: '/var/run/pgpool', logFile: '' }
          : { configDir: plan.dir(p.id, ''), socketDir: `${localDir}/run`, pcpSocketDir: `${localDir}/run`, pidFile: plan.dir(p.id, 'pgpool.pid'), logDir: plan.dir(p.id, 'log'), logFile: plan.dir(p.id, 'pgpool.log') },
    };
  });

  const haproxyOut: HaproxySpec[] = haproxies.map((h) => {
    const hp = h.props;
    const upstream = hp.upstream;
    let rwServers: HaproxyServerSpec[];
    let roServers: HaproxyServerSpec[];
    let upstreamSpec: HaproxySpec['upstream'];
    if (upstream instanceof PgPool) {
      const pool = pgpoolOut.find((p) => p.id === upstream.id);
      const ep = pool?.address ?? plan.endpoint(upstream.id, plan.published(upstream.props.hostPort, upstream.props.port));
      rwServers = [{ name: upstream.id, host: ep.host, port: ep.port, check: 'pgpool', backup: false }];
      roServers = rwServers;
      upstreamSpec = { kind: 'pgpool', id: upstream.id };
    } else {
      const list = upstream as Array<Primary | Replica>;
      rwServers = list.map((n) => ({ name: n.id, ...endpointOf(n), check: 'primary' as const, backup: false }));
      roServers = [
        ...list.filter((n) => n instanceof Replica).map((n) => ({ name: n.id, ...endpointOf(n), check: 'standby' as const, backup: false })),
        ...list.filter((n) => n instanceof Primary).map((n) => ({ name: n.id, ...endpointOf(n), check: 'primary' as const, backup: true })),
      ];
      upstreamSpec = { kind: 'direct', ids: list.map((n) => n.id) };
    }
    const pool = upstream instanceof PgPool ? upstream.props : null;
    const statsUser = hp.stats ? role(hp.stats.user, hp.stats.password ?? cluster.defaultSecret('HAPROXY_STATS_PASSWORD')) : null;
    if (statsUser) addSecret(statsUser, `password of the HAProxy stats page user '${statsUser.name}'`);
    const bindAddress = target === 'compose' ? '*' : '127.0.0.1';
    return {
      kind: 'haproxy',
      ...nodeRef(h),
      image: hp.image ?? images.haproxy,
      upstream: upstreamSpec,
      readWrite: { name: 'rw', port: plan.published(hp.readWrite.hostPort, hp.readWrite.port ?? DEFAULT_PORTS.readWrite), bindAddress, servers: rwServers },
      readOnly: hp.readOnly
        ? { name: 'ro', port: plan.published(hp.readOnly.hostPort, hp.readOnly.port ?? DEFAULT_PORTS.readOnly), bindAddress, servers: roServers }
        : null,
      stats: hp.stats && statsUser ? { port: plan.published(hp.stats.hostPort, hp.stats.port ?? DEFAULT_PORTS.stats), bindAddress, user: statsUser } : null,
      checkUser: hp.checkUser,
      maxConn: hp.maxConn,
      serverMaxConn: hp.serverMaxConn ?? (pool ? pool.numInitChildren - pool.reservedConnections : null),
      timeouts: hp.timeouts,
      paths:
        target === 'compose'
          ? // The official images run HAProxy as 'haproxy' and Pgpool as 'postgres': only these dirs are theirs.
            { configDir: '/usr/local/etc/haproxy', pidFile: '/var/lib/haproxy/haproxy.pid', logFile: '' }
          : { configDir: plan.dir(h.id, ''), pidFile: plan.dir(h.id, 'haproxy.pid'), logFile: plan.dir(h.id, 'haproxy.log') },
    };
  });

  return {
    ...nodeRef(cluster),
    target,
    postgresVersion: props.postgresVersion,
    pgpoolVersion: props.pgpoolVersion,
    bindAddress: props.bindAddress,
    network: { name: props.network.name ?? `${props.name}-net`, subnet: target === 'compose' ? plan.clientNet : null },
    roles: { superuser, replication },
    postgres,
    pgpools: pgpoolOut,
    haproxies: haproxyOut,
    localDir,
    secrets: [...secrets].map(([env, purpose]) => ({ env, purpose })).sort((a, b) => a.env.localeCompare(b.env)),
  };
}

function backendNode(b: PgPool['props']['backends'][number]): Primary | Replica | null {
  if (b instanceof Primary || b instanceof Replica) return b;
  return 'node' in b ? b.node : null;
}

function nodeRef(n: { id: string; path: string; source: ClusterSpec['source'] }) {
  return n.source ? { id: n.id, path: n.path, source: n.source } : { id: n.id, path: n.path };
}

/** Names in synchronous_standby_names are identifiers; anything else (a hyphen) is double-quoted. */
export function quoteStandbyName(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) && !/^(first|any)$/i.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

function uniqueRoles(roles: RoleSpec[]): RoleSpec[] {
  const seen = new Set<string>();
  return roles.filter((r) => (seen.has(r.name) ? false : (seen.add(r.name), true)));
}
