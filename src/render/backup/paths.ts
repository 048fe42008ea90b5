import type { BackupSpec, ClusterSpec, PostgresNodeSpec } from '../../model/spec.js';

// Where a node's pgBackRest configuration lives. Each node has its own (pgBackRest's pg1-path
// must be the data directory of the node that runs archive-push), in a folder of its own so
// `--config-path` finds both pgbackrest.conf and conf.d/ (secrets, written at start by synth up).

/** The folder given to `pgbackrest --config-path`. */
export function pgbackrestConfigPath(node: PostgresNodeSpec): string {
  return `${node.paths.configDir}/pgbackrest`;
}

/** The command line prefix every pgBackRest call of this node uses. */
export function pgbackrestArgs(backup: BackupSpec, node: PostgresNodeSpec): string[] {
  return [`--config-path=${pgbackrestConfigPath(node)}`, `--stanza=${backup.stanza}`];
}

/** archive_command of every node: the same on each, so whichever node is primary pushes WAL. */
export function archiveCommand(backup: BackupSpec, node: PostgresNodeSpec): string {
  return `pgbackrest ${pgbackrestArgs(backup, node).join(' ')} archive-push %p`;
}

/**
 * restore_command of every node: a standby whose primary no longer has the WAL it needs (a
 * replica without a slot that was away too long) fetches it from the repository, then streams again.
 */
export function restoreCommand(backup: BackupSpec, node: PostgresNodeSpec): string {
  return `pgbackrest ${pgbackrestArgs(backup, node).join(' ')} archive-get %f "%p"`;
}

/**
 * The node whose configuration the compose backup service starts from (its config folder and
 * pgbackrest.conf): the configured primary. The node it backs up is the one primary at each run.
 */
export function backedUpNode(spec: ClusterSpec): PostgresNodeSpec {
  const primary = spec.postgres.find((n) => n.role === 'primary');
  if (!primary) throw new Error(`${spec.path}: a Backup needs a primary`);
  return primary;
}

/** Where the compose backup service mounts every node's data volume (read-only) and socket folder. */
export function backupServiceMounts(node: PostgresNodeSpec): { data: string; socket: string } {
  const dir = `/var/lib/pgsynth/nodes/${node.id}`;
  return { data: `${dir}/data`, socket: `${dir}/run` };
}
