import { defineRule } from '../rule.js';

export const backupComposeNotYet = defineRule({
  code: 'PGS196',
  severity: 'error',
  title: 'A Backup runs under synth up only: the compose target does not yet build a PostgreSQL image with pgBackRest',
  why: "archive_command runs inside the PostgreSQL container, and the official postgres images do not ship pgbackrest. A compose file with archive_command = pgbackrest … and no pgbackrest in the image fails every archive attempt, and PostgreSQL keeps every WAL segment in pg_wal until the disk is full. pgsynth refuses that instead of writing it.",
  fix: 'run the cluster with synth up (backups, restore and check-backups work there), or remove the Backup before synthesizing the compose files',
  example: "new Backup(cluster, 'backup', {}); // then `npx synth`",
  targets: ['compose'],
  check(spec) {
    if (!spec.backup) return [];
    return [{ node: spec.backup, field: 'id', message: 'the compose target has no PostgreSQL image with pgBackRest yet, so its archive_command would fail on every segment' }];
  },
});
