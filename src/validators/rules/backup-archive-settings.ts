import { defineRule } from '../rule.js';

/** Parameters the Backup construct writes on every node. */
export const ARCHIVE_PARAMETERS = ['archive_mode', 'archive_command', 'archive_library', 'archive_timeout'] as const;

export const backupOwnsArchiveSettings = defineRule({
  code: 'PGS190',
  severity: 'error',
  title: "With a Backup, no node sets archive_mode, archive_command, archive_library or archive_timeout in its settings",
  why: "The Backup writes the same archive_mode = on and pgBackRest archive_command on every node, so whichever node is primary (after a failover too) pushes its WAL into the one repository. A node with its own value would archive elsewhere or not at all (a promoted standby with archive_mode off leaves a gap no restore can cross; 'always' makes pgBackRest refuse backups with error 067), and a parameter written twice is refused.",
  fix: 'remove the parameter from settings; archive_timeout is the Backup option archiveTimeout',
  example: "new Backup(cluster, 'backup', {});\nnew Replica(cluster, 'pg-replica1', { primary, hostPort: 5612, settings: { archive_mode: 'off' } });",
  check(spec) {
    if (!spec.backup) return [];
    const backup = spec.backup;
    return spec.postgres.flatMap((node) =>
      ARCHIVE_PARAMETERS.filter((p) => p in node.settings).map((p) => ({
        node,
        field: `settings.${p}`,
        message: `settings sets ${p}, which ${backup.path} writes on every node (archive_mode = on, archive_command = pgbackrest … archive-push)`,
        fix: p === 'archive_timeout' ? `remove it and set archiveTimeout: ${JSON.stringify(node.settings[p])} on ${backup.path} (seconds)` : `remove ${p} from settings`,
      })),
    );
  },
});
