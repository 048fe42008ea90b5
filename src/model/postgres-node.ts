import * as z from 'zod';
import { configText, pgSize, port, settingsRecord } from './fields.js';
import type { SettingsFor } from '../settings/types.generated.js';
import type { PostgresVersion } from './cluster.js';

// Props shared by Primary and Replica: the server limits that a standby must match, and the
// escape hatch for every other server parameter.

export const postgresLimitsShape = {
  maxConnections: z.number().int().min(1).max(262143).optional(),
  superuserReservedConnections: z.number().int().min(0).max(262143).optional(),
  maxWorkerProcesses: z.number().int().min(0).max(262143).optional(),
  maxWalSenders: z.number().int().min(0).max(262143).optional(),
  maxReplicationSlots: z.number().int().min(0).max(262143).optional(),
  maxPreparedTransactions: z.number().int().min(0).max(262143).optional(),
  maxLocksPerTransaction: z.number().int().min(10).max(2147483647).optional(),
};

export const postgresNodeShape = {
  hostPort: port,
  port: port.default(5432),
  ...postgresLimitsShape,
  hotStandby: z.boolean().default(true),
  maxSlotWalKeepSize: pgSize.default('4GB'),
  settings: settingsRecord.default({}),
  image: configText.optional(),
};

/** Options every PostgreSQL node has. */
export interface PostgresNodeProps<V extends PostgresVersion = PostgresVersion> {
  /** Port published on the host (compose `127.0.0.1:<hostPort>:<port>`), and the port the node listens on under `synth up`. */
  readonly hostPort: number;
  /**
   * Port the server listens on inside its container.
   * @default 5432
   */
  readonly port?: number;
  /**
   * `max_connections`. A replica's must be ≥ the primary's.
   * @default 100, or more when the Pgpools in front need it (Σ numInitChildren × maxPool + 2 checks each, + superuserReservedConnections + 10, rounded up to tens); a replica defaults to its primary's value
   */
  readonly maxConnections?: number;
  /**
   * `superuser_reserved_connections`.
   * @default 3
   */
  readonly superuserReservedConnections?: number;
  /**
   * `max_worker_processes`. A replica's must be ≥ the primary's.
   * @default 8
   */
  readonly maxWorkerProcesses?: number;
  /**
   * `max_wal_senders`: one per streaming replica plus two for a running `pg_basebackup -X stream`.
   * @default 10
   */
  readonly maxWalSenders?: number;
  /**
   * `max_replication_slots`: one per slot-using replica, plus extra slots, plus one for a base backup.
   * @default 10
   */
  readonly maxReplicationSlots?: number;
  /**
   * `max_prepared_transactions`. A replica's must be ≥ the primary's.
   * @default 0
   */
  readonly maxPreparedTransactions?: number;
  /**
   * `max_locks_per_transaction`. A replica's must be ≥ the primary's.
   * @default 64
   */
  readonly maxLocksPerTransaction?: number;
  /**
   * `hot_standby`: lets a standby answer read-only queries (Pgpool load balancing and HAProxy's
   * read-only route need it). Set on the primary too, for after a switchover.
   * @default true
   */
  readonly hotStandby?: boolean;
  /**
   * `max_slot_wal_keep_size`: how much WAL a slot may hold back while its replica is away, so a
   * dead replica cannot fill the primary's disk. -1 is unlimited.
   * @default '4GB'
   */
  readonly maxSlotWalKeepSize?: string | -1;
  /**
   * Any other server parameter, written to postgresql.conf after pgsynth's own (checked against
   * the parameter catalog of `postgresVersion`; typed per major, with each parameter's unit,
   * range and description in your editor).
   * @default {}
   * @example { shared_buffers: '1GB', work_mem: '64MB' }
   */
  readonly settings?: SettingsFor<V>;
  /**
   * Container image.
   * @default the cluster's `images.postgres`
   */
  readonly image?: string;
}
