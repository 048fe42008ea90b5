import { defineRule } from '../rule.js';

export const backupArchiveBounded = defineRule({
  code: 'PGS195',
  severity: 'warning',
  title: 'A Backup schedules full backups, so retention can expire old WAL',
  why: "pgBackRest expires WAL only together with the full backups it belongs to, and expires only when a new backup is taken. Without scheduled full backups (schedule.full: null) every archived segment since the last full stays: the archive grows until its disk is full, and once archive_command fails PostgreSQL keeps every segment in pg_wal, whatever max_slot_wal_keep_size says, until the primary's disk is full too (pgBackRest issue 2331, CloudNativePG issues 7570 and 9824).",
  fix: "set schedule.full (e.g. '0 1 * * 0', the default), or run synth backup --type full regularly from cron",
  example: "new Backup(cluster, 'backup', { schedule: { full: null } });",
  check(spec) {
    const b = spec.backup;
    if (!b || b.schedule.full !== null) return [];
    return [{ node: b, field: 'schedule.full', message: 'no full backup is scheduled: nothing expires, so the WAL archive grows without bound and a failing archive then fills pg_wal' }];
  },
});
