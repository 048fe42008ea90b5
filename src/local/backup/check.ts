import { LocalRunError } from '../../process/errors.js';
import { archiverFailing, archiverStatus } from './archiver.js';
import { currentPrimary, runPgbackrest, type BackupContext } from './context.js';
import { repositoryInfo, type RepositoryInfo } from './info.js';
import { missingWalSegments } from './wal-continuity.js';

export interface BackupCheck {
  ok: boolean;
  /** One line per finding, problems first. */
  problems: string[];
  notes: string[];
}

/**
 * `synth check-backups`: archiving works end to end on the primary (pgbackrest check), every
 * repository file matches its checksum (pgbackrest verify), no WAL segment is missing between
 * the oldest backup and the newest archived segment, and there is at least one full backup.
 */
export async function checkBackups(ctx: BackupContext): Promise<BackupCheck> {
  const problems: string[] = [];
  const notes: string[] = [];
  const firstLine = (e: unknown) => (e instanceof LocalRunError && e.logTail ? e.logTail.split('\n').filter((l) => /ERROR|WARN/.test(l)).slice(0, 3).join('; ') || e.logTail.split('\n')[0]! : (e as Error).message.split('\n')[0]!);

  const primary = await currentPrimary(ctx).catch((e: unknown) => {
    problems.push(`no running primary: ${(e as Error).message.split('\n')[0]}`);
    return null;
  });
  if (primary) {
    try {
      await runPgbackrest(ctx, primary, ['check'], 120_000);
      notes.push(`archiving from ${primary.id} works: a forced WAL switch reached the repository`);
    } catch (e) {
      problems.push(`archiving from ${primary.id} fails (pgbackrest check): ${firstLine(e)}`);
    }
    const archiver = await archiverStatus(ctx, primary).catch(() => null);
    if (archiver && archiverFailing(archiver)) {
      problems.push(`${primary.id}'s archiver keeps failing on ${archiver.lastFailed} (${archiver.failed} failures): WAL piles up in pg_wal; see its postgres.log`);
    }
  }

  let info: RepositoryInfo | null = null;
  try {
    info = await repositoryInfo(ctx);
  } catch (e) {
    problems.push(`repository unreadable (pgbackrest info): ${firstLine(e)}`);
  }
  if (info) {
    if (info.status.code !== 0 && info.status.code !== 2) problems.push(`repository status ${info.status.code}: ${info.status.message}`);
    const fulls = info.backups.filter((b) => b.type === 'full');
    if (fulls.length === 0) problems.push('no full backup in the repository: nothing can be restored (run synth backup)');
    else notes.push(`${info.backups.length} backup(s), ${fulls.length} full; newest ${info.backups.at(-1)!.label}`);
    const missing = missingWalSegments(ctx, info);
    if (missing.length > 0) {
      const shownList = missing.slice(0, 5).join(', ') + (missing.length > 5 ? ` and ${missing.length - 5} more` : '');
      problems.push(`WAL segment(s) missing from the archive: ${shownList}; no restore can replay past the first gap (take a new full backup: synth backup --type full)`);
    }
  }
  try {
    // At log level info, verify names each damaged file; its summary says "status: error".
    const { stdout, stderr } = await runPgbackrest(ctx, ctx.spec.postgres[0]!, ['--log-level-console=info', 'verify'], 30 * 60_000);
    const text = `${stdout}\n${stderr}`;
    const damaged = text
      .split('\n')
      .map((l) => /P\d\d\s+(?:INFO|WARN|ERROR): (.*)$/.exec(l)?.[1] ?? '')
      .filter((m) => m && !/^(verify command|stanza:)/.test(m) && /invalid|missing|unable|corrupt|error/i.test(m));
    if (damaged.length > 0 || /status: error/.test(text)) {
      const list = damaged.slice(0, 5).join('; ') + (damaged.length > 5 ? ` and ${damaged.length - 5} more` : '');
      problems.push(`pgbackrest verify found damaged repository files: ${list || 'see its output (status: error)'}; a restore that needs them fails (take a new full backup: synth backup --type full)`);
    } else notes.push('pgbackrest verify: every backup and WAL file matches its checksum');
  } catch (e) {
    problems.push(`pgbackrest verify failed: ${firstLine(e)}`);
  }
  return { ok: problems.length === 0, problems, notes };
}
