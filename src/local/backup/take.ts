import type { PostgresNodeSpec } from '../../model/spec.js';
import { LocalRunError } from '../../process/errors.js';
import { query } from '../../process/sql.js';
import { currentPrimary, runPgbackrest, type BackupContext } from './context.js';
import { PROBE_TIMEOUTS, superuserConn } from '../superuser-conn.js';
import { repositoryInfo, type BackupEntry } from './info.js';

export type BackupType = 'full' | 'diff' | 'incr';

/**
 * A standby promoted moments ago writes its new timeline into pg_control only at the checkpoint
 * that ends recovery; until then pgBackRest refuses ("WAL timeline 2 does not match pg_control
 * timeline 1"). A CHECKPOINT settles it.
 */
async function settlePromotion(ctx: BackupContext, node: PostgresNodeSpec): Promise<void> {
  const conn = superuserConn(ctx.spec, node, { ...PROBE_TIMEOUTS, queryTimeoutMs: 300_000 });
  const [row] = await query<{ control: number; current: string }>(
    conn,
    'SELECT timeline_id AS control, substr(pg_catalog.pg_walfile_name(pg_catalog.pg_current_wal_lsn()), 1, 8) AS current FROM pg_catalog.pg_control_checkpoint()',
  );
  if (row && row.control !== parseInt(row.current, 16)) await query(conn, 'CHECKPOINT');
}

/** `synth backup`: one backup of the node that is primary now; expire runs after it (retention). */
export async function takeBackup(ctx: BackupContext, type: BackupType = 'full'): Promise<{ node: string; backup: BackupEntry; durationMs: number }> {
  const node = await currentPrimary(ctx);
  const started = performance.now();
  await settlePromotion(ctx, node);
  await runPgbackrest(ctx, node, [`--type=${type}`, 'backup']);
  const durationMs = performance.now() - started;
  const info = await repositoryInfo(ctx, node);
  const backup = info.backups.at(-1);
  if (!backup) throw new LocalRunError('BACKUP_MISSING', 'pgbackrest backup succeeded but info lists no backup', { fix: `Read ${ctx.backup.paths.logDir}/${ctx.backup.stanza}-backup.log.` });
  return { node: node.id, backup, durationMs };
}
