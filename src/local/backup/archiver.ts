import type { PostgresNodeSpec } from '../../model/spec.js';
import { query } from '../../process/sql.js';
import type { BackupContext } from './context.js';
import { PROBE_TIMEOUTS, superuserConn } from '../superuser-conn.js';

export interface ArchiverStatus {
  wal: string | null;
  time: Date | null;
  failed: number;
  lastFailed: string | null;
  /** Complete segments not archived yet (the one being written does not count). */
  segmentsBehind: number | null;
}

/** pg_stat_archiver of a node: the last archived segment, failures, and how far archiving lags. */
export async function archiverStatus(ctx: BackupContext, node: PostgresNodeSpec): Promise<ArchiverStatus> {
  const [row] = await query<{ last_archived_wal: string | null; last_archived_time: Date | null; failed_count: string; last_failed_wal: string | null; current_wal: string }>(
    superuserConn(ctx.spec, node, PROBE_TIMEOUTS),
    `SELECT last_archived_wal, last_archived_time, failed_count::text, last_failed_wal,
            pg_catalog.pg_walfile_name(pg_catalog.pg_current_wal_lsn()) AS current_wal
       FROM pg_catalog.pg_stat_archiver`,
  );
  if (!row) return { wal: null, time: null, failed: 0, lastFailed: null, segmentsBehind: null };
  const seq = (w: string) => parseInt(w.slice(8, 16), 16) * 0x100 + parseInt(w.slice(16, 24), 16);
  // The segment being written is not archivable yet: one behind is "up to date".
  const behind = row.last_archived_wal && /^[0-9A-F]{24}$/.test(row.last_archived_wal) ? Math.max(0, seq(row.current_wal) - seq(row.last_archived_wal) - 1) : null;
  return { wal: row.last_archived_wal, time: row.last_archived_time, failed: Number(row.failed_count), lastFailed: row.last_failed_wal, segmentsBehind: behind };
}


/** The archiver failed on a segment after the last one it archived: it is stuck, and WAL piles up in pg_wal. */
export function archiverFailing(a: ArchiverStatus): boolean {
  return a.failed > 0 && a.lastFailed !== null && (a.wal === null || a.lastFailed > a.wal);
}
