import * as z from 'zod';
import type { Cluster, PostgresVersion } from './cluster.js';
import { ConstructNode } from './node.js';
import { hasBrand, setBrand } from '../brand.js';
import { postgresNodeShape, type PostgresNodeProps } from './postgres-node.js';
import { Primary } from './primary.js';

export const replicaPropsSchema = z.strictObject({
  ...postgresNodeShape,
  primary: z.custom<Primary>((v) => Primary.isPrimary(v), { message: 'must be a Primary of this cluster' }),
  synchronous: z.boolean().default(false),
  slot: z.union([z.boolean(), z.string()]).default(true),
  applicationName: z.string().optional(),
  hotStandbyFeedback: z.boolean().default(true),
});

export interface ReplicaProps<V extends PostgresVersion = PostgresVersion> extends PostgresNodeProps<V> {
  /** The primary this replica streams from. */
  readonly primary: Primary<V>;
  /**
   * Whether the primary waits for this standby at commit (it is listed in the primary's
   * `synchronous_standby_names`).
   * @default false
   */
  readonly synchronous?: boolean;
  /**
   * Physical replication slot: `true` derives the name from the id (`pg-replica1` →
   * `pg_replica1`), a string names it, `false` streams without a slot.
   * @default true
   */
  readonly slot?: boolean | string;
  /**
   * `application_name` in the replica's primary_conninfo: how pg_stat_replication,
   * synchronous_standby_names and Pgpool's `backend_application_name` know it.
   * @default the replica's id
   */
  readonly applicationName?: string;
  /**
   * `hot_standby_feedback`: keeps long read queries on the standby from being cancelled by
   * vacuum on the primary.
   * @default true
   */
  readonly hotStandbyFeedback?: boolean;
}

export type ResolvedReplicaProps = z.output<typeof replicaPropsSchema>;

/**
 * A physical streaming standby, made by `pg_basebackup` from its primary on first start only.
 *
 * @example
 * new Replica(cluster, 'pg-replica1', { primary, hostPort: 5612, synchronous: true });
 */
export class Replica<V extends PostgresVersion = PostgresVersion> extends ConstructNode {
  readonly kind = 'replica' as const;
  readonly cluster: Cluster<V>;
  readonly props: ResolvedReplicaProps;

  /** Whether `x` is a Replica, made by this copy of pgsynth or by another one a config loaded. */
  static isReplica(x: unknown): x is Replica {
    return hasBrand(x, 'Replica');
  }

  constructor(cluster: Cluster<V>, id: string, props: ReplicaProps<V>) {
    super(cluster.path, id);
    setBrand(this, 'Replica');
    this.cluster = cluster;
    this.props = this.parseProps(replicaPropsSchema, props);
    cluster.addChild(this);
  }
}
