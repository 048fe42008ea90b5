import * as z from 'zod';
import type { Cluster } from './cluster.js';
import { ConstructNode } from './node.js';
import { hasBrand, setBrand } from '../brand.js';
import { configText, port, secretRef, sqlName } from './fields.js';
import { durationMs } from './duration.js';
import { PgPool } from './pgpool.js';
import { Primary } from './primary.js';
import { Replica } from './replica.js';
import type { SecretRef } from './secret.js';

/** How long a client past the session ceiling waits in HAProxy's queue before it is turned away. */
export const DEFAULT_QUEUE_TIMEOUT = '60s';

/** HAProxy keeps timers as signed 32-bit milliseconds ("timer overflow … maximum value is 2147483647 ms or ~24.8 days"). */
const HAPROXY_MAX_TIMER_MS = 2147483647;
const duration = z
  .string()
  .regex(/^\d+(us|ms|s|m|h|d)$/, { message: "must be a duration like '5s' or '30m'" })
  .refine((text) => (durationMs(text) ?? 0) > 0, { message: 'must be longer than 0: HAProxy reads a 0 timeout as no timeout at all ("missing timeouts")' })
  .refine((text) => (durationMs(text) ?? Infinity) <= HAPROXY_MAX_TIMER_MS, {
    message: `must be at most ${HAPROXY_MAX_TIMER_MS}ms (~24.8 days, '24d'): HAProxy refuses longer timers with "timer overflow"`,
  });
const frontend = z.strictObject({ hostPort: port, port: port.optional() });

export const haproxyPropsSchema = z.strictObject({
  upstream: z.union([
    z.custom<PgPool>((v) => PgPool.isPgPool(v), { message: 'must be a PgPool or a list of Primary/Replica nodes' }),
    z.array(z.custom<Primary | Replica>((v) => Primary.isPrimary(v) || Replica.isReplica(v))).min(1),
  ]),
  readWrite: frontend,
  readOnly: frontend.optional(),
  stats: z
    .strictObject({ hostPort: port, port: port.optional(), user: sqlName.default('admin'), password: secretRef.optional() })
    .optional(),
  checkUser: sqlName.default('haproxy_check'),
  maxConn: z.number().int().min(1).max(2147483647).default(2000),
  serverMaxConn: z.number().int().min(1).max(2147483647).optional(),
  timeouts: z
    .strictObject({
      connect: duration.default('5s'),
      client: duration.default('30m'),
      server: duration.default('30m'),
      check: duration.default('5s'),
      queue: duration.default(DEFAULT_QUEUE_TIMEOUT),
    })
    .default({ connect: '5s', client: '30m', server: '30m', check: '5s', queue: DEFAULT_QUEUE_TIMEOUT }),
  image: configText.optional(),
});

export interface HaproxyFrontendProps {
  /** Port published on the host, and HAProxy's port under `synth up`. */
  readonly hostPort: number;
  /** Port inside the container. @default 5000 (readWrite), 5001 (readOnly), 8404 (stats) */
  readonly port?: number;
}

export interface HaproxyStatsProps extends HaproxyFrontendProps {
  /**
   * Basic-auth user of the stats page.
   * @default 'admin'
   */
  readonly user?: string;
  /**
   * Basic-auth password, read by HAProxy from the environment.
   * @default secret('<CLUSTER>_HAPROXY_STATS_PASSWORD')
   */
  readonly password?: SecretRef;
}

export interface HaproxyProps {
  /**
   * Where connections go. A PgPool: both frontends reach Pgpool, which routes writes to the
   * primary. A list of nodes: HAProxy talks to PostgreSQL itself and tells the primary from the
   * standbys with a `pg_is_in_recovery()` check. A list needs at least one node.
   */
  readonly upstream: PgPool | ReadonlyArray<Primary | Replica>;
  /** Read-write frontend. */
  readonly readWrite: HaproxyFrontendProps;
  /**
   * Read-only frontend: the standbys of the moment. It lists the replicas among Pgpool's backends
   * (or the upstream nodes) and their primary, each checked to answer `pg_is_in_recovery() = t`
   * as `checkUser`, so after a failover the promoted node drops out and the old primary serves
   * reads once it rejoins as a standby. A write through it always fails ("cannot execute … in a
   * read-only transaction"), and it needs no free Pgpool child. Needs at least one replica (PGS142).
   */
  readonly readOnly?: HaproxyFrontendProps;
  /** Stats page (HTTP), protected by basic auth. */
  readonly stats?: HaproxyStatsProps;
  /**
   * Role the `pg_is_in_recovery()` check logs in as when `upstream` lists nodes, and for the
   * read-only frontend's standbys: no password (HAProxy cannot do SCRAM), trusted from the cluster
   * network for database `postgres` only, no privileges. Rule PGS073 warns about it for nodes as upstream.
   * @default 'haproxy_check'
   */
  readonly checkUser?: string;
  /**
   * Global `maxconn`: every client connection HAProxy holds, queued ones included. At least the
   * sessions its servers take (PGS147).
   * @default 2000
   */
  readonly maxConn?: number;
  /**
   * Per-server `maxconn`: the sessions HAProxy sends to one server at once (Pgpool, and each
   * standby of the read-only frontend). Clients beyond it wait in HAProxy's queue (up to
   * `timeouts.queue`) instead of in Pgpool's listen queue, where nothing times them out or counts
   * them. Unless set, the nodes' `maxConnections` is sized for the read-only sessions too.
   * @default Pgpool's `numInitChildren − reservedConnections`; none for direct nodes
   */
  readonly serverMaxConn?: number;
  /**
   * Timeouts; client and server are long because pooled database sessions idle. `queue` is how
   * long a client past the session ceiling (every server at its `serverMaxConn`) waits for a
   * free slot; when it expires HAProxy closes the connection before the server ever sees it,
   * and the client reports "server closed the connection unexpectedly" (HAProxy logs `sQ`).
   * `connect` bounds the TCP connect to a server only.
   * @default { connect: '5s', client: '30m', server: '30m', check: '5s', queue: '60s' }
   */
  readonly timeouts?: { readonly connect?: string; readonly client?: string; readonly server?: string; readonly check?: string; readonly queue?: string };
  /** Container image. @default the cluster's `images.haproxy` */
  readonly image?: string;
}

export type ResolvedHaproxyProps = z.output<typeof haproxyPropsSchema>;

/**
 * HAProxy in front of Pgpool (or of the nodes): read-write and read-only TCP frontends and a
 * stats page.
 *
 * @example
 * new Haproxy(cluster, 'haproxy', { upstream: pgpool, readWrite: { hostPort: 5100 }, readOnly: { hostPort: 5101 } });
 */
export class Haproxy extends ConstructNode {
  readonly kind = 'haproxy' as const;
  readonly cluster: Cluster;
  readonly props: ResolvedHaproxyProps;

  /** Whether `x` is a Haproxy, made by this copy of pgsynth or by another one a config loaded. */
  static isHaproxy(x: unknown): x is Haproxy {
    return hasBrand(x, 'Haproxy');
  }

  constructor(cluster: Cluster, id: string, props: HaproxyProps) {
    super(cluster.path, id);
    setBrand(this, 'Haproxy');
    this.cluster = cluster;
    this.props = this.parseProps(haproxyPropsSchema, props);
    cluster.addChild(this);
  }
}
