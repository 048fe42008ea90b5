import { archiverFailing, archiverStatus } from './archiver.js';
import { currentPrimary, type BackupContext } from './context.js';
import { repositoryInfo } from './info.js';

/** One line for `synth status`: the newest backup and how far WAL archiving lags. */
export async function backupStatusLine(ctx: BackupContext): Promise<string> {
  const parts: string[] = [];
  try {
    const info = await repositoryInfo(ctx);
    const last = info.backups.at(-1);
    parts.push(last ? `last backup ${last.label} (${last.type}, ${last.stop.toISOString()})` : 'no backup yet');
  } catch (e) {
    parts.push(`repository unreadable: ${(e as Error).message.split('\n')[0]}`);
  }
  const primary = await currentPrimary(ctx).catch(() => null);
  const archiver = primary ? await archiverStatus(ctx, primary).catch(() => null) : null;
  if (!archiver) parts.push('archiving: no running primary');
  else {
    const lag = archiver.segmentsBehind === null ? 'nothing archived yet' : `${archiver.segmentsBehind} segment(s) behind`;
    const failing = archiverFailing(archiver) ? `, FAILING on ${archiver.lastFailed}` : '';
    parts.push(`archiving from ${primary!.id}: ${lag}${archiver.wal ? ` (last ${archiver.wal})` : ''}${failing}`);
  }
  return parts.join('; ');
}
