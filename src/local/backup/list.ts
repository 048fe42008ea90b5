import { archiverStatus } from './archiver.js';
import { currentPrimary, type BackupContext } from './context.js';
import { repositoryInfo, type RepositoryInfo } from './info.js';

export interface RecoveryWindow {
  /** The earliest time a restore can reach: the end of the oldest backup. */
  from: Date | null;
  /** The newest archived WAL's time, as the primary's archiver reports it; null when unknown. */
  to: Date | null;
  /** Newest archived segment. */
  lastSegment: string | null;
}

export interface BackupList extends RepositoryInfo {
  window: RecoveryWindow;
}

/** `synth backups`: every backup with its sizes, and the window a restore can reach. */
export async function listBackups(ctx: BackupContext): Promise<BackupList> {
  const info = await repositoryInfo(ctx);
  const primary = await currentPrimary(ctx).catch(() => null);
  const archived = primary ? await archiverStatus(ctx, primary).catch(() => null) : null;
  const lastSegment = info.archive.map((a) => a.max).filter((m): m is string => m !== null).sort().at(-1) ?? null;
  return { ...info, window: { from: info.backups[0]?.stop ?? null, to: archived?.time ?? null, lastSegment } };
}
