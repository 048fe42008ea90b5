import * as z from 'zod';
import type { Cluster } from './cluster.js';
import { DEFAULT_HEALTH_CHECK } from './defaults.js';
import { ConstructNode } from './node.js';
import { hasBrand, setBrand } from '../brand.js';
import { configText, port, secretRef, sqlName } from './fields.js';
import { Primary } from './primary.js';
import { Replica } from './replica.js';
import type { SecretRef } from './secret.js';

const postgresNode = z.custom<Primary | Replica>((v) => Primary.isPrimary(v) || Replica.isReplica(v), {
  message: 'must be a Primary or Replica, { node, weight } or { host, port }',
});
const weight = z.number().min(0).max(100000000);
/** Pgpool-II keeps these as C ints: 2^31 and above fail its parser ("invalid value … for parameter"). */
const pgpoolInt = z.number().int().min(0).max(2147483647);

const backendSchema = z.union([
  postgresNode,
  z.strictObject({ node: postgresNode, weight: weight.optional() }),
  z.strictObject({ host: z.string(), port, weight: weight.optional() }),
]);

export const pgpoolPropsSchema = z.strictObject({
  backends: z.array(backendSchema).min(1),
  hostPort: port,
  port: port.default(9999),
  pcpPort: port.default(9898),
  pcpHostPort: port.optional(),
  numInitChildren: z.number().int().min(1).max(10000).default(32),
  maxPool: z.number().int().min(1).max(1000).default(4),
  reservedConnections: pgpoolInt.default(0),
  loadBalance: z.boolean().default(true),
  statementLevelLoadBalance: z.boolean().default(false),
  srCheckPeriod: pgpoolInt.default(5),
  healthCheck: z
    .strictObject({
      period: pgpoolInt.default(DEFAULT_HEALTH_CHECK.period),
      timeout: pgpoolInt.default(DEFAULT_HEALTH_CHECK.timeout),
      maxRetries: pgpoolInt.default(DEFAULT_HEALTH_CHECK.maxRetries),
      retryDelay: pgpoolInt.default(DEFAULT_HEALTH_CHECK.retryDelay),
    })
    .default(DEFAULT_HEALTH_CHECK),
  failover: z.enum(['automatic', 'manual']).optional(),
  searchPrimaryNodeTimeout: pgpoolInt.default(10),
  user: sqlName.default('pgpool'),
  password: secretRef.optional(),
  pcpUser: sqlName.default('pcpadmin'),
  pcpPassword: secretRef.optional(),
  image: configText.optional(),
});

/** A Pgpool-II backend: a node of the cluster (optionally weighted) or an explicit address. */
export type PgpoolBackend =
  | Primary
  | Replica
  | { readonly node: Primary | Replica; readonly weight?: number }
  | { readonly host: string; readonly port: number; readonly weight?: number };

export interface PgPoolProps {
  /**
   * Backends in Pgpool's order (`backend_hostname0` is the first). Nodes are addressed per
   * target: on compose by service name and the port the node listens on in its container, under
   * `synth up` by 127.0.0.1 and its host port. Explicit `{ host, port }` entries are checked the
   * same way. Weights default to 1. At least one backend.
   */
  readonly backends: readonly PgpoolBackend[];
  /** Port published on the host, and Pgpool's port under `synth up`. */
  readonly hostPort: number;
  /**
   * Pgpool's port inside its container.
   * @default 9999
   */
  readonly port?: number;
  /**
   * PCP (admin) port inside the container; never published unless `pcpHostPort` is set.
   * @default 9898
   */
  readonly pcpPort?: number;
  /**
   * Publishes PCP on this host port (and uses it under `synth up`).
   * @default not published; `synth up` uses `pcpPort`
   */
  readonly pcpHostPort?: number;
  /**
   * `num_init_children`: concurrent client sessions, one child process each (about 6 MB). A
   * client past it waits in HAProxy's queue (see `Haproxy.timeouts.queue`), or, connecting to
   * Pgpool directly, in Pgpool's listen queue (4 × numInitChildren, no timeout).
   * @default 32
   */
  readonly numInitChildren?: number;
  /**
   * `max_pool`: cached backend connections per child. `numInitChildren × maxPool` must fit every
   * backend's `maxConnections − superuserReservedConnections`.
   * @default 4
   */
  readonly maxPool?: number;
  /**
   * `reserved_connections`: refuse clients beyond `numInitChildren − reservedConnections` with an error instead of queueing them.
   * @default 0
   */
  readonly reservedConnections?: number;
  /**
   * `load_balance_mode`: send read-only SELECTs to standbys.
   * @default true
   */
  readonly loadBalance?: boolean;
  /**
   * `statement_level_load_balance`: choose the load-balance node per statement instead of per session.
   * @default false
   */
  readonly statementLevelLoadBalance?: boolean;
  /**
   * `sr_check_period` in seconds: how often Pgpool checks replication state and which node is primary.
   * @default 5
   */
  readonly srCheckPeriod?: number;
  /**
   * Health checks (seconds); period 0 disables them, and a dead node is then never detected
   * (nor a lost primary replaced). A stopped node is detached after about
   * `period + maxRetries × retryDelay` seconds (3 s by default; `timeout` bounds a check that
   * hangs); automatic failover starts then. Measured under `synth up` with these defaults: a
   * `kill -9` of the primary to the first write acknowledged through HAProxy took 5.1 s (median)
   * and at most 10.1 s over 10 failovers under load.
   * @default { period: 1, timeout: 5, maxRetries: 2, retryDelay: 1 }
   */
  readonly healthCheck?: { readonly period?: number; readonly timeout?: number; readonly maxRetries?: number; readonly retryDelay?: number };
  /**
   * `automatic`: when the primary is lost, Pgpool's failover_command (`failover.sh`, generated
   * beside pgpool.conf) promotes the standby that received the most WAL (a synchronous one on a
   * tie) and makes its replication slots; the other standbys follow it by themselves (their
   * `primary_conninfo` lists every peer with `target_session_attrs=read-write`). A former primary
   * only ever comes back as a standby: under `synth up`, `up` and `synth rejoin` rewind it with
   * pg_rewind; on compose its entrypoint does, guided by the primary claim failover.sh writes
   * into the shared `cluster-state` volume (docs/running.md, "Failover under compose").
   * `manual`: nothing is promoted; `synth promote <node>` does it by hand. Either way the config
   * keeps naming the *initial* primary; who is primary now is run-time state (`synth status`,
   * the claim on compose).
   * @default 'automatic'
   */
  readonly failover?: 'automatic' | 'manual';
  /**
   * `search_primary_node_timeout` in seconds: how long startup looks for the primary.
   * @default 10
   */
  readonly searchPrimaryNodeTimeout?: number;
  /**
   * Role Pgpool checks streaming and health with (LOGIN, member of pg_monitor).
   * @default 'pgpool'
   */
  readonly user?: string;
  /**
   * Password of `user`.
   * @default secret('<CLUSTER>_PGPOOL_PASSWORD')
   */
  readonly password?: SecretRef;
  /**
   * PCP admin user (pcp.conf).
   * @default 'pcpadmin'
   */
  readonly pcpUser?: string;
  /**
   * Password of `pcpUser`.
   * @default secret('<CLUSTER>_PCP_PASSWORD')
   */
  readonly pcpPassword?: SecretRef;
  /**
   * Container image.
   * @default the cluster's `images.pgpool`
   */
  readonly image?: string;
}

export type ResolvedPgPoolProps = z.output<typeof pgpoolPropsSchema>;

/**
 * Pgpool-II in streaming-replication mode: connection pooling, writes to the primary and
 * read load balancing over the standbys.
 *
 * @example
 * new PgPool(cluster, 'pgpool', { backends: [primary, r1, r2], hostPort: 9999 });
 */
export class PgPool extends ConstructNode {
  readonly kind = 'pgpool' as const;
  readonly cluster: Cluster;
  readonly props: ResolvedPgPoolProps;

  /** Whether `x` is a PgPool, made by this copy of pgsynth or by another one a config loaded. */
  static isPgPool(x: unknown): x is PgPool {
    return hasBrand(x, 'PgPool');
  }

  constructor(cluster: Cluster, id: string, props: PgPoolProps) {
    super(cluster.path, id);
    setBrand(this, 'PgPool');
    this.cluster = cluster;
    this.props = this.parseProps(pgpoolPropsSchema, props);
    cluster.addChild(this);
  }
}
