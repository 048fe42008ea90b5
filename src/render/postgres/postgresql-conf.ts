import type { ClusterSpec, PostgresNodeSpec, PrimaryRoleSpec } from '../../model/spec.js';
import { listenEntries, renderConf, type ConfEntry, type ConfSection } from '../conf-writer.js';
import { archiveCommand, restoreCommand } from '../backup/paths.js';
import { MARKER_TEXT } from '../marker.js';
import { nodeTitle } from './node-title.js';
import { replicaPassfile, replicationConninfo } from './replication-conninfo.js';

// postgresql.conf of one node: what pgsynth decides, grouped and commented, then the user's own
// settings. Everything else stays at the server default. Every parameter written here exists
// with the same meaning in PostgreSQL 13 to 17.

/** The primary a node belongs to: itself, or the one it streams from. */
function primaryOf(spec: ClusterSpec, node: PostgresNodeSpec): { node: PostgresNodeSpec; role: PrimaryRoleSpec } {
  const id = node.replica ? node.replica.upstreamId : node.id;
  const primary = spec.postgres.find((n) => n.id === id);
  if (!primary?.primary) throw new Error(`${node.path}: its primary '${id}' is not a primary of this cluster`);
  return { node: primary, role: primary.primary };
}

function connections(spec: ClusterSpec, node: PostgresNodeSpec): ConfSection {
  return {
    title: 'Connections',
    entries: [
      ...listenEntries(spec.target, node, 'the compose network: Pgpool and the standbys connect here'),
      { key: 'superuser_reserved_connections', value: node.limits.superuserReservedConnections },
      { key: 'unix_socket_directories', value: node.paths.socketDir },
      { key: 'password_encryption', value: 'scram-sha-256', comment: 'pg_hba.conf asks for SCRAM; 13 still hashed md5' },
    ],
  };
}

function files(node: PostgresNodeSpec): ConfSection {
  return {
    title: 'Files (the data directory comes from -D / PGDATA)',
    entries: [{ key: 'hba_file', value: `${node.paths.configDir}/pg_hba.conf`, comment: 'the generated one, not the copy initdb left in the data directory' }],
  };
}

function standbyLimits(node: PostgresNodeSpec, primary: PostgresNodeSpec): ConfSection {
  const { limits } = node;
  const compared = (key: string, value: number, primaryValue: number): ConfEntry =>
    node === primary ? { key, value } : { key, value, comment: `${primary.id}: ${primaryValue}` };
  return {
    title: 'Limits every standby must match: a standby below its primary refuses to start (13) or pauses replay (14+)',
    entries: [
      compared('max_connections', limits.maxConnections, primary.limits.maxConnections),
      compared('max_worker_processes', limits.maxWorkerProcesses, primary.limits.maxWorkerProcesses),
      compared('max_wal_senders', limits.maxWalSenders, primary.limits.maxWalSenders),
      compared('max_prepared_transactions', limits.maxPreparedTransactions, primary.limits.maxPreparedTransactions),
      compared('max_locks_per_transaction', limits.maxLocksPerTransaction, primary.limits.maxLocksPerTransaction),
    ],
  };
}

function walAndReplication(node: PostgresNodeSpec, primary: { node: PostgresNodeSpec; role: PrimaryRoleSpec }): ConfSection {
  const isPrimary = node === primary.node;
  const entries: ConfEntry[] = [
    {
      key: 'wal_level',
      value: primary.role.walLevel,
      comment: isPrimary ? 'standbys replay this WAL' : `${primary.node.id}'s level, so this node can serve standbys once promoted`,
    },
    { key: 'max_replication_slots', value: node.limits.maxReplicationSlots },
    {
      key: 'max_slot_wal_keep_size',
      value: node.maxSlotWalKeepSize,
      comment: node.maxSlotWalKeepSize === -1 ? 'unlimited: a standby that stays away can fill the disk' : 'a standby away longer loses its slot, not the disk',
    },
    { key: 'wal_log_hints', value: true, comment: 'lets pg_rewind resync a former primary after a failover' },
    { key: 'hot_standby', value: node.hotStandby, comment: isPrimary ? 'for when this node runs as a standby' : 'read-only queries while replaying' },
  ];
  const { synchronousStandbyNames, synchronousCommit } = node.member ?? primary.role;
  if (synchronousStandbyNames !== '') {
    const why = !isPrimary
      ? `used once promoted: ${primary.node.id}'s rule, this node's seat given to ${primary.node.id}`
      : primary.role.synchronousStandbyNamesExplicit
        ? 'as written in cluster.config.ts'
        : 'every replica marked synchronous';
    entries.push({ key: 'synchronous_standby_names', value: synchronousStandbyNames, comment: why });
  }
  entries.push({
    key: 'synchronous_commit',
    value: synchronousCommit,
    comment: synchronousStandbyNames === '' ? 'no synchronous standby is named' : 'how far a commit waits for them',
  });
  return { title: 'WAL and replication', entries };
}

function standby(spec: ClusterSpec, node: PostgresNodeSpec): ConfSection {
  const member = node.member;
  if (!member) return { title: 'Standby', entries: [] };
  const entries: ConfEntry[] = [
    {
      key: 'primary_conninfo',
      value: replicationConninfo(spec, node, { passfile: true }),
      comment: `every peer; libpq picks the read-write one. No password: ${replicaPassfile(spec, node)} is written at start from $${spec.roles.replication.passwordEnv}`,
    },
  ];
  if (member.slotName !== null) {
    entries.push({ key: 'primary_slot_name', value: member.slotName, comment: 'the primary keeps WAL until this standby has it' });
  }
  entries.push(
    {
      key: 'hot_standby_feedback',
      value: member.hotStandbyFeedback,
      comment: member.hotStandbyFeedback ? "vacuum on the primary spares rows this standby's queries read" : 'long queries here may be cancelled by replay',
    },
    { key: 'wal_retrieve_retry_interval', value: '1s', comment: 'after a failover, find the new primary within a second' },
  );
  const when = node.replica ? `streams from ${node.replica.upstreamId} at first` : 'after a failover, this node rejoins as a standby';
  return { title: `Standby (while standby.signal is in the data directory; ${when}, then whichever peer is primary)`, entries };
}

function archiving(spec: ClusterSpec, node: PostgresNodeSpec): ConfSection {
  const backup = spec.backup;
  if (!backup) return { title: 'Archiving', entries: [] };
  return {
    title: `WAL archiving (pgBackRest, ${backup.path}): the same on every node, so a promoted standby archives its new timeline`,
    entries: [
      { key: 'archive_mode', value: 'on', comment: "a standby archives nothing until promoted ('always' would push twice)" },
      { key: 'archive_command', value: archiveCommand(backup, node) },
      { key: 'restore_command', value: restoreCommand(backup, node), comment: 'a standby fetches from the repository the WAL its primary no longer has' },
      {
        key: 'archive_timeout',
        value: backup.archiveTimeout,
        comment: backup.archiveTimeout === 0 ? 'off: a quiet primary may leave commits unarchived for long' : 'seconds: a quiet primary still archives its last commits',
      },
    ],
  };
}

function processTitle(node: PostgresNodeSpec): ConfSection {
  return { title: 'Process title', entries: [{ key: 'cluster_name', value: node.id, comment: 'names this node in ps output' }] };
}

function userSettings(node: PostgresNodeSpec): ConfSection {
  const keys = Object.keys(node.settings).sort();
  return { title: 'User settings (settings in cluster.config.ts)', entries: keys.map((key) => ({ key, value: node.settings[key]! })) };
}

/** The sections pgsynth decides, before the user's settings. */
function pgsynthSections(spec: ClusterSpec, node: PostgresNodeSpec): ConfSection[] {
  const primary = primaryOf(spec, node);
  return [
    connections(spec, node),
    files(node),
    standbyLimits(node, primary.node),
    walAndReplication(node, primary),
    standby(spec, node),
    archiving(spec, node),
    processTitle(node),
  ];
}

/**
 * Every parameter pgsynth itself writes to this node's postgresql.conf, with its comment. The
 * settings check refuses these in `settings` (they would be written twice), so a parameter
 * written here later is refused there without a second list to keep in step.
 */
export function pgsynthWrittenSettings(spec: ClusterSpec, node: PostgresNodeSpec): ConfEntry[] {
  return pgsynthSections(spec, node).flatMap((section) => section.entries);
}

/** postgresql.conf for one node, loaded with `postgres -c config_file=<configDir>/postgresql.conf`. */
export function renderPostgresqlConf(spec: ClusterSpec, node: PostgresNodeSpec): string {
  return renderConf([...pgsynthSections(spec, node), userSettings(node)], [MARKER_TEXT, nodeTitle(spec, node)]);
}
