import * as z from 'zod';
import type { Cluster, PostgresVersion } from './cluster.js';
import { ConstructNode } from './node.js';
import { hasBrand, setBrand } from '../brand.js';
import { ipv4Cidr, secretRef, sqlName } from './fields.js';
import { postgresNodeShape, type PostgresNodeProps } from './postgres-node.js';
import type { SecretRef } from './secret.js';

export const primaryPropsSchema = z.strictObject({
  ...postgresNodeShape,
  // The bootstrap creates the database and makes `owner` its owner; the built-in ones exist already.
  database: sqlName
    .refine((name) => !['postgres', 'template0', 'template1'].includes(name), {
      message: 'must not be postgres, template0 or template1: the bootstrap creates the application database for its owner',
    })
    .default('app'),
  owner: sqlName.default('app'),
  ownerPassword: secretRef.optional(),
  walLevel: z.enum(['minimal', 'replica', 'logical']).default('replica'),
  synchronousCommit: z.enum(['on', 'off', 'local', 'remote_write', 'remote_apply']).default('on'),
  synchronousStandbyNames: z.string().optional(),
  extraSlots: z.array(z.string()).default([]),
  allowedClients: z.array(ipv4Cidr).min(1).optional(),
});

export interface PrimaryProps<V extends PostgresVersion = PostgresVersion> extends PostgresNodeProps<V> {
  /**
   * The application database the bootstrap creates.
   * @default 'app'
   */
  readonly database?: string;
  /**
   * Owner of the application database: a LOGIN role without superuser.
   * @default 'app'
   */
  readonly owner?: string;
  /**
   * Password of `owner`.
   * @default secret('<CLUSTER>_APP_PASSWORD')
   */
  readonly ownerPassword?: SecretRef;
  /**
   * `wal_level`; replicas need `replica` or `logical`.
   * @default 'replica'
   */
  readonly walLevel?: 'minimal' | 'replica' | 'logical';
  /**
   * `synchronous_commit` on the primary.
   * @default 'on'
   */
  readonly synchronousCommit?: 'on' | 'off' | 'local' | 'remote_write' | 'remote_apply';
  /**
   * `synchronous_standby_names`, written as given (e.g. `'ANY 1 (pg-replica1, pg-replica2)'`).
   * When unset it is derived from the replicas marked `synchronous: true`: `FIRST n (...)` over all of them.
   */
  readonly synchronousStandbyNames?: string;
  /**
   * Extra physical replication slots to create beyond one per replica (e.g. for a backup tool).
   * Lower-case letters, digits and underscores.
   * @default []
   */
  readonly extraSlots?: readonly string[];
  /**
   * Client networks admitted by pg_hba.conf for the application role (SCRAM) on compose. Under
   * `synth up` every client is on 127.0.0.1/32.
   * @default the cluster network's subnet
   */
  readonly allowedClients?: readonly string[];
}

export type ResolvedPrimaryProps = z.output<typeof primaryPropsSchema>;

/**
 * The read-write node. Its bootstrap creates the replication role, one physical slot per
 * replica and the application database with its owner.
 *
 * @example
 * const primary = new Primary(cluster, 'pg-primary', { hostPort: 5611, database: 'app' });
 */
export class Primary<V extends PostgresVersion = PostgresVersion> extends ConstructNode {
  readonly kind = 'primary' as const;
  readonly cluster: Cluster<V>;
  readonly props: ResolvedPrimaryProps;

  /** Whether `x` is a Primary, made by this copy of pgsynth or by another one a config loaded. */
  static isPrimary(x: unknown): x is Primary {
    return hasBrand(x, 'Primary');
  }

  constructor(cluster: Cluster<V>, id: string, props: PrimaryProps<V>) {
    super(cluster.path, id);
    setBrand(this, 'Primary');
    this.cluster = cluster;
    this.props = this.parseProps(primaryPropsSchema, props);
    cluster.addChild(this);
  }
}
