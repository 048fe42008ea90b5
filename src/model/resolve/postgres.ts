import { reservedForRoles } from '../ceilings.js';
import { DEFAULT_LIMITS, PGPOOL_CHECK_CONNECTIONS } from '../defaults.js';
import type { Primary } from '../primary.js';
import { Replica } from '../replica.js';
import type { HbaEntry, MemberSpec, PostgresLimits, PostgresNodeSpec } from '../spec.js';
import { backendNode, nodeRef, type PostgresNode, type ResolveContext } from './context.js';
import { readOnlyServerMaxConn, readOnlyNodes } from './haproxy.js';
import { postgresHba } from './hba.js';
import { slotNameFor } from '../defaults.js';
import { deriveSynchronousStandbyNames, namesWhenPromoted } from './standby-names.js';

/** Every PostgreSQL node: primaries first, then replicas, each in creation order. */
export function resolvePostgres(ctx: ResolveContext): PostgresNodeSpec[] {
  const limitsOf = limitsResolver(ctx);
  // pg_hba.conf is the group's, the same on every member: built once per primary.
  const hbas = new Map<Primary, HbaEntry[]>();
  const hbaOf = (p: Primary) => hbas.get(p) ?? hbas.set(p, postgresHba(ctx, p)).get(p)!;
  const nodes = [...ctx.primaries.map((p) => primarySpec(ctx, p, limitsOf, hbaOf)), ...ctx.replicas.map((r) => replicaSpec(ctx, r, limitsOf, hbaOf))];
  for (const p of ctx.primaries) addMembers(ctx, p, nodes);
  return nodes;
}

/**
 * Every node of a primary's replication group learns its part in it for whichever role it runs
 * in: its peers, its application name and slot, and what it requires as the primary.
 */
function addMembers(ctx: ResolveContext, p: Primary, nodes: PostgresNodeSpec[]): void {
  const ownReplicas = ctx.replicas.filter((r) => r.props.primary === p);
  if (ownReplicas.length === 0) return;
  const group: PostgresNode[] = [p, ...ownReplicas];
  const primarySpecOf = nodes.find((n) => n.id === p.id)!.primary!;
  // The initial primary streams through a slot of its own after a failover when its replicas do.
  const usesSlots = ownReplicas.some((r) => ctx.slotOf(r) !== null);
  const identity = (n: PostgresNode) =>
    Replica.isReplica(n)
      ? { applicationName: ctx.applicationNameOf(n), slotName: ctx.slotOf(n), hotStandbyFeedback: n.props.hotStandbyFeedback }
      : { applicationName: n.id, slotName: usesSlots ? slotNameFor(n.id) : null, hotStandbyFeedback: true };
  // Each member lists every other one: computed once per member, not once per pair.
  const identities = group.map(identity);
  const endpoints = group.map((m) => ({ id: m.id, ...ctx.endpointOf(m) }));
  const specs = new Map(nodes.map((spec) => [spec.id, spec]));
  const primaryName = identities[0]!.applicationName;
  for (const [i, n] of group.entries()) {
    const own = identities[i]!;
    const member: MemberSpec = {
      ...own,
      peers: endpoints.filter((_, j) => j !== i),
      synchronousStandbyNames: n === p ? primarySpecOf.synchronousStandbyNames : namesWhenPromoted(primarySpecOf.synchronousStandbyNames, own.applicationName, primaryName),
      synchronousCommit: primarySpecOf.synchronousCommit,
      slotsWhenPrimary: [...identities.flatMap((m, j) => (j !== i && m.slotName !== null ? [m.slotName] : [])), ...p.props.extraSlots],
    };
    specs.get(n.id)!.member = member;
  }
}

function primarySpec(ctx: ResolveContext, p: Primary, limitsOf: (n: PostgresNode) => PostgresLimits, hbaOf: (p: Primary) => HbaEntry[]): PostgresNodeSpec {
  const ownReplicas = ctx.replicas.filter((r) => r.props.primary === p);
  const slots = ownReplicas.map(ctx.slotOf).filter((s): s is string => s !== null);
  const derivedSsn = deriveSynchronousStandbyNames(ownReplicas.filter((r) => r.props.synchronous).map(ctx.applicationNameOf));
  return {
    ...nodeBase(ctx, p, 'primary', limitsOf(p), hbaOf(p)),
    primary: {
      database: p.props.database,
      owner: ctx.ownerOf(p)!,
      walLevel: p.props.walLevel,
      synchronousCommit: p.props.synchronousCommit,
      synchronousStandbyNames: p.props.synchronousStandbyNames ?? derivedSsn,
      synchronousStandbyNamesExplicit: p.props.synchronousStandbyNames !== undefined,
      slots: [...slots, ...p.props.extraSlots],
      extraSlots: p.props.extraSlots,
    },
  };
}

function replicaSpec(ctx: ResolveContext, r: Replica, limitsOf: (n: PostgresNode) => PostgresLimits, hbaOf: (p: Primary) => HbaEntry[]): PostgresNodeSpec {
  const upstream = r.props.primary;
  return {
    ...nodeBase(ctx, r, 'replica', limitsOf(r), hbaOf(upstream)),
    replica: {
      upstreamId: upstream.id,
      upstream: ctx.endpointOf(upstream),
      applicationName: ctx.applicationNameOf(r),
      slotName: ctx.slotOf(r),
      synchronous: r.props.synchronous,
      hotStandbyFeedback: r.props.hotStandbyFeedback,
    },
  };
}

/** What a primary and a replica share; their role-specific part is added by the callers. */
function nodeBase(ctx: ResolveContext, n: PostgresNode, role: PostgresNodeSpec['role'], limits: PostgresLimits, hba: HbaEntry[]) {
  return {
    kind: 'postgres' as const,
    ...nodeRef(n),
    role,
    image: n.props.image ?? ctx.images.postgres,
    address: ctx.endpointOf(n),
    listenAddresses: ctx.plan.listenAddresses,
    port: ctx.portOf(n),
    limits,
    hotStandby: n.props.hotStandby,
    maxSlotWalKeepSize: n.props.maxSlotWalKeepSize,
    settings: n.props.settings,
    hba,
    paths: ctx.pathsOf(n.id),
  };
}

/**
 * A node's limits: what it sets, else (a replica) its primary's resolved limits, else (a
 * primary) the defaults. Replicas inherit because a hot standby refuses to start with a lower
 * max_connections, max_worker_processes, max_wal_senders, max_prepared_transactions or
 * max_locks_per_transaction than its primary.
 */
function limitsResolver(ctx: ResolveContext): (n: PostgresNode) => PostgresLimits {
  const defaultsOf = primaryDefaultsResolver(ctx);
  const limitsOf = (n: PostgresNode): PostgresLimits => {
    const fallback = Replica.isReplica(n) ? limitsOf(n.props.primary) : defaultsOf(n);
    return {
      maxConnections: n.props.maxConnections ?? fallback.maxConnections,
      superuserReservedConnections: n.props.superuserReservedConnections ?? fallback.superuserReservedConnections,
      maxWorkerProcesses: n.props.maxWorkerProcesses ?? fallback.maxWorkerProcesses,
      maxWalSenders: n.props.maxWalSenders ?? fallback.maxWalSenders,
      maxReplicationSlots: n.props.maxReplicationSlots ?? fallback.maxReplicationSlots,
      maxPreparedTransactions: n.props.maxPreparedTransactions ?? fallback.maxPreparedTransactions,
      maxLocksPerTransaction: n.props.maxLocksPerTransaction ?? fallback.maxLocksPerTransaction,
      ...(n.props.maxConnections === undefined && fallback.maxConnectionsDerived ? { maxConnectionsDerived: true as const } : {}),
    };
  };
  return limitsOf;
}

/**
 * The default limits of a primary and its replicas. Unless set, max_connections grows with
 * what the Pgpools in front need, so the default topology satisfies Pgpool's
 * num_init_children × max_pool bound (PGS101) out of the box.
 */
function primaryDefaultsResolver(ctx: ResolveContext): (p: Primary) => PostgresLimits {
  const known = new Map<Primary, PostgresLimits>();
  return (p) => {
    const cached = known.get(p);
    if (cached) return cached;
    // superuser_reserved_connections, and on 16+ reserved_connections, come out of max_connections too.
    const reserved = (p.props.superuserReservedConnections ?? DEFAULT_LIMITS.superuserReservedConnections) + reservedForRoles(ctx.props.postgresVersion, p.props.settings);
    const servesThisPrimary = (n: PostgresNode | null) => n === p || (Replica.isReplica(n) && n.props.primary === p);
    // Each Pgpool opens up to num_init_children × max_pool backend connections, plus its
    // health check and streaming check connections; HAProxy's read-only sessions come on top.
    const pooled = ctx.pgpools
      .filter((pool) => pool.props.backends.some((b) => servesThisPrimary(backendNode(b))))
      .reduce((sum, pool) => sum + pool.props.numInitChildren * pool.props.maxPool + PGPOOL_CHECK_CONNECTIONS, 0);
    // Each HAProxy read-only frontend sends up to its serverMaxConn sessions to each standby.
    const readOnly = ctx.haproxies
      .filter((h) => readOnlyNodes(h).some((n) => servesThisPrimary(n)))
      .reduce((sum, h) => sum + (readOnlyServerMaxConn(h) ?? 0), 0);
    const demand = pooled + readOnly;
    // Room for the reserved slots and 10 more, rounded up to a multiple of 10.
    const needed = demand ? Math.ceil((demand + reserved + 10) / 10) * 10 : 0;
    const limits: PostgresLimits = needed > DEFAULT_LIMITS.maxConnections
      ? { ...DEFAULT_LIMITS, maxConnections: needed, maxConnectionsDerived: true }
      : { ...DEFAULT_LIMITS };
    known.set(p, limits);
    return limits;
  };
}
