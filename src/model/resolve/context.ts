import type { Cluster } from '../cluster.js';
import { defaultImages, slotNameFor } from '../defaults.js';
import { Haproxy } from '../haproxy.js';
import { PgPool } from '../pgpool.js';
import { Primary } from '../primary.js';
import { Replica } from '../replica.js';
import type { ClusterSpec, Endpoint, NodeRef, PostgresPaths, PublishedPort, RoleSpec, Target } from '../spec.js';
import { addressPlan, type AddressPlan } from './address-plan.js';
import { role, SecretRegistry } from './secrets.js';

export type PostgresNode = Primary | Replica;

/**
 * What every resolver shares, built once per resolve: the address plan, the images, the
 * cluster-wide roles, the nodes by kind, the secrets registry, and the lookups more than one
 * resolver needs (a node's port, endpoint, paths, slot and application name), so each derived
 * value is computed in one place only.
 */
export interface ResolveContext {
  cluster: Cluster;
  props: Cluster['props'];
  target: Target;
  localDir: string;
  plan: AddressPlan;
  images: ReturnType<typeof defaultImages>;
  roles: ClusterSpec['roles'];
  /** Resolvers register the roles they create; the cluster spec lists them at the end. */
  secrets: SecretRegistry;

  /** The nodes of the cluster by kind, each in creation order. */
  primaries: Primary[];
  replicas: Replica[];
  pgpools: PgPool[];
  haproxies: Haproxy[];

  /** The role owning a primary's database; undefined for a primary outside this cluster. */
  ownerOf(primary: Primary): RoleSpec | undefined;
  /** Every primary's owner, in primary order: the roles clients log in as. */
  applicationRoles: RoleSpec[];
  /** The role a Pgpool streams and health checks as (pg_hba.conf of every node admits it). */
  checkUserOf(pool: PgPool): RoleSpec;

  portOf(node: PostgresNode): PublishedPort;
  /** How other services reach a PostgreSQL node in this target. */
  endpointOf(node: PostgresNode): Endpoint;
  pathsOf(id: string): PostgresPaths;
  /** The replica's physical replication slot, null when it streams without one. */
  slotOf(replica: Replica): string | null;
  applicationNameOf(replica: Replica): string;
}

export function createContext(cluster: Cluster, target: Target, localDir: string): ResolveContext {
  const props = cluster.props;
  const plan = addressPlan(target, props, localDir);
  const superuser = role(props.superuser.name ?? 'postgres', props.superuser.password ?? cluster.defaultSecret('POSTGRES_PASSWORD'));
  const replication = role(
    props.replicationUser.name ?? 'replicator',
    props.replicationUser.password ?? cluster.defaultSecret('REPLICATION_PASSWORD'),
  );

  const nodes = cluster.nodes;
  const primaries = nodes.filter(Primary.isPrimary);
  const replicas = nodes.filter(Replica.isReplica);
  const pgpools = nodes.filter(PgPool.isPgPool);
  const haproxies = nodes.filter(Haproxy.isHaproxy);

  const secrets = new SecretRegistry();
  const clusterRef = nodeRef(cluster);
  secrets.add(superuser, `password of the superuser '${superuser.name}' (local socket and bootstrap only)`, {
    node: clusterRef, field: 'superuser.password', identity: `role:${superuser.name}`, defaulted: props.superuser.password === undefined,
  });
  secrets.add(replication, `password of the replication role '${replication.name}'`, {
    node: clusterRef, field: 'replicationUser.password', identity: `role:${replication.name}`, defaulted: props.replicationUser.password === undefined,
  });

  const owners = new Map<Primary, RoleSpec>();
  for (const p of primaries) {
    const owner = role(p.props.owner, p.props.ownerPassword ?? cluster.defaultSecret('APP_PASSWORD'));
    owners.set(p, owner);
    secrets.add(owner, `password of the application role '${owner.name}' (owner of database '${p.props.database}')`, {
      node: nodeRef(p), field: 'ownerPassword', identity: `role:${owner.name}`, defaulted: p.props.ownerPassword === undefined,
    });
  }

  // Pgpool registers its check role's secret itself (next to its PCP admin's), but pg_hba.conf
  // needs the role before any Pgpool is resolved.
  const checkUsers = new Map(pgpools.map((p) => [p, role(p.props.user, p.props.password ?? cluster.defaultSecret('PGPOOL_PASSWORD'))]));

  const portOf = (n: PostgresNode) => plan.published(n.props.hostPort, n.props.port);

  return {
    cluster,
    props,
    target,
    localDir,
    plan,
    images: { ...defaultImages(props.postgresVersion, props.pgpoolVersion), ...props.images },
    roles: { superuser, replication },
    secrets,
    primaries,
    replicas,
    pgpools,
    haproxies,
    ownerOf: (p) => owners.get(p),
    applicationRoles: [...owners.values()],
    checkUserOf: (pool) => checkUsers.get(pool)!,
    portOf,
    endpointOf: (n) => plan.endpoint(n.id, portOf(n)),
    pathsOf: (id) =>
      target === 'compose'
        ? { dataDir: '/var/lib/postgresql/data', configDir: '/etc/pgsynth', socketDir: '/var/run/postgresql', logFile: '' }
        : { dataDir: plan.dir(id, 'data'), configDir: plan.dir(id, ''), socketDir: `${localDir}/run`, logFile: plan.dir(id, 'postgres.log') },
    slotOf: (r) => (r.props.slot === false ? null : r.props.slot === true ? slotNameFor(r.id) : r.props.slot),
    applicationNameOf: (r) => r.props.applicationName ?? r.id,
  };
}

/** The node a Pgpool backend points at, null for an explicit `{ host, port }`. */
export function backendNode(b: PgPool['props']['backends'][number]): PostgresNode | null {
  if (Primary.isPrimary(b) || Replica.isReplica(b)) return b;
  return 'node' in b ? b.node : null;
}

/** Id, path and (when known) source of a construct, so diagnostics on the spec can point back at it. */
export function nodeRef(n: { id: string; path: string; source: ClusterSpec['source'] }): NodeRef {
  return n.source ? { id: n.id, path: n.path, source: n.source } : { id: n.id, path: n.path };
}
