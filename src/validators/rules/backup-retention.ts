import { defineRule, type Finding } from '../rule.js';

export const backupRetentionKeepsFull = defineRule({
  code: 'PGS193',
  severity: 'error',
  title: 'Backup retention keeps at least one full backup, and WAL for at least one and at most all of them',
  why: "Expiring a full backup expires every diff/incr built on it and the WAL only it needed: with nothing kept there is nothing to restore (pgBackRest refuses repo1-retention-full below 1). retention.archive counts the full backups whose WAL stays for point-in-time recovery: 0 keeps none, and more than retention.full keeps nothing extra, since the backups it would serve are gone.",
  fix: 'set retention.full to 1 or more (2, the default, survives one bad backup), and retention.archive between 1 and retention.full, or leave it unset (= full)',
  example: "new Backup(cluster, 'backup', { retention: { full: 0 } });",
  check(spec) {
    const b = spec.backup;
    if (!b) return [];
    const out: Finding[] = [];
    const { full, diff, archive } = b.retention;
    if (full < 1) out.push({ node: b, field: 'retention.full', message: `retention.full is ${full}: no full backup would be kept, so nothing could be restored` });
    if (diff !== null && diff < 1) out.push({ node: b, field: 'retention.diff', message: `retention.diff is ${diff}: pgBackRest keeps at least 1 differential backup when the option is set`, fix: 'set retention.diff to 1 or more, or remove it' });
    if (archive !== null && (archive < 1 || (full >= 1 && archive > full))) {
      out.push({ node: b, field: 'retention.archive', message: `retention.archive is ${archive}: it must be between 1 and retention.full (${full})`, fix: `set retention.archive between 1 and ${Math.max(1, full)}, or remove it` });
    }
    return out;
  },
});
