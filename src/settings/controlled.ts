// Server parameters pgsynth writes itself: users set them through typed options (or not at all),
// because the generated files, replication and the other services depend on their values.

export interface ControlledSetting {
  /** The pgsynth option that owns the parameter, or null when pgsynth always decides it. */
  option: string | null;
  /** Why it cannot be set through `settings`, phrased to follow "cannot be set in settings: ". */
  reason: string;
}

const option = (name: string): ControlledSetting => ({ option: name, reason: `pgsynth sets it from the \`${name}\` option` });
const managed = (reason: string): ControlledSetting => ({ option: null, reason });

const FILE_LAYOUT = managed('pgsynth manages the file layout of each target');
const NO_ARCHIVE_RECOVERY = managed('not supported: pgsynth builds streaming replicas, not archive recovery');

export const CONTROLLED_SETTINGS: Readonly<Record<string, ControlledSetting>> = {
  port: option('port'),
  listen_addresses: managed("pgsynth manages it per target (compose listens on '*', local on 127.0.0.1)"),
  unix_socket_directories: FILE_LAYOUT,
  data_directory: FILE_LAYOUT,
  hba_file: FILE_LAYOUT,
  ident_file: FILE_LAYOUT,
  config_file: FILE_LAYOUT,
  external_pid_file: FILE_LAYOUT,
  primary_conninfo: { option: 'Replica.primary', reason: 'pgsynth derives it from `Replica.primary`' },
  primary_slot_name: { option: 'Replica.primary', reason: 'pgsynth derives it from `Replica.primary`' },
  synchronous_standby_names: {
    option: 'Replica.synchronous / Primary.synchronousStandbyNames',
    reason: 'pgsynth derives it from `Replica.synchronous` and `Primary.synchronousStandbyNames`',
  },
  max_connections: option('maxConnections'),
  superuser_reserved_connections: option('superuserReservedConnections'),
  max_wal_senders: option('maxWalSenders'),
  max_replication_slots: option('maxReplicationSlots'),
  wal_level: option('walLevel'),
  hot_standby: option('hotStandby'),
  hot_standby_feedback: option('hotStandbyFeedback'),
  max_worker_processes: option('maxWorkerProcesses'),
  max_prepared_transactions: option('maxPreparedTransactions'),
  max_locks_per_transaction: option('maxLocksPerTransaction'),
  max_slot_wal_keep_size: option('maxSlotWalKeepSize'),
  synchronous_commit: option('synchronousCommit'),
  password_encryption: managed('pgsynth always uses scram-sha-256'),
  cluster_name: managed('pgsynth sets it to the node id'),
  restore_command: managed('pgsynth writes it with a Backup (pgBackRest archive-get), so a standby that fell behind fetches WAL from the repository'),
  recovery_target: NO_ARCHIVE_RECOVERY,
  recovery_target_action: NO_ARCHIVE_RECOVERY,
  recovery_target_inclusive: NO_ARCHIVE_RECOVERY,
  recovery_target_lsn: NO_ARCHIVE_RECOVERY,
  recovery_target_name: NO_ARCHIVE_RECOVERY,
  recovery_target_time: NO_ARCHIVE_RECOVERY,
  recovery_target_timeline: NO_ARCHIVE_RECOVERY,
  recovery_target_xid: NO_ARCHIVE_RECOVERY,
};

export function controlledSetting(name: string): ControlledSetting | undefined {
  return Object.hasOwn(CONTROLLED_SETTINGS, name) ? CONTROLLED_SETTINGS[name] : undefined;
}
