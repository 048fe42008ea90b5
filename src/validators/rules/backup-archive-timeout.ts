import { defineRule } from '../rule.js';

/** Below this, a quiet primary fills the archive with mostly empty 16 MB segments. */
export const MIN_ARCHIVE_TIMEOUT = 10;
/** Above this, a quiet primary can leave an hour of commits out of the archive. */
export const MAX_ARCHIVE_TIMEOUT = 3600;

export const archiveTimeoutBounded = defineRule({
  code: 'PGS192',
  severity: 'warning',
  title: `A Backup's archiveTimeout is between ${MIN_ARCHIVE_TIMEOUT} s and ${MAX_ARCHIVE_TIMEOUT} s`,
  why: `PostgreSQL archives a WAL segment when it is full, or archive_timeout seconds after its first write. With 0 (off) or a long timeout, a quiet primary keeps its last commits only in pg_wal: lose that disk and they are lost although "archiving works". Each forced switch archives a whole 16 MB segment, so a very short timeout multiplies the archive's size on a quiet cluster (the PostgreSQL docs advise against values of a few seconds).`,
  fix: 'set archiveTimeout to 60 (the default): at most a minute of commits outside the archive',
  example: "new Backup(cluster, 'backup', { archiveTimeout: 0 });",
  check(spec) {
    const b = spec.backup;
    if (!b) return [];
    const t = b.archiveTimeout;
    if (t === 0) return [{ node: b, field: 'archiveTimeout', message: 'archiveTimeout is 0 (off): on a quiet primary the newest commits can stay out of the archive indefinitely' }];
    if (t < MIN_ARCHIVE_TIMEOUT) return [{ node: b, field: 'archiveTimeout', message: `archiveTimeout is ${t} s: a quiet primary archives a 16 MB segment every ${t} s (${Math.round((86400 / t) * 16 / 1024)} GB a day before compression)` }];
    if (t > MAX_ARCHIVE_TIMEOUT) return [{ node: b, field: 'archiveTimeout', message: `archiveTimeout is ${t} s: a quiet primary can keep ${Math.round(t / 60)} minutes of commits out of the archive` }];
    return [];
  },
});
