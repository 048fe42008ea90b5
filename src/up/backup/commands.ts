import { existsSync, readdirSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { PostgresNodeSpec } from '../../model/spec.js';
import { LocalRunError, LocalSetupError } from '../../local/errors.js';
import { findPostgresBinaries } from '../../local/binaries.js';
import { makeOwnedDir } from '../../local/files.js';
import { startPostgres, stopPostgres } from '../../local/postgres.js';
import { query } from '../../local/sql.js';
import { postgresConfigFile } from '../config-files.js';
import { isServiceRunning, readState } from '../state.js';
import { currentPrimary, runPgbackrest, type BackupContext } from './context.js';
import { repositoryInfo, type BackupEntry, type RepositoryInfo } from './info.js';
import { missingWalSegments } from './wal-continuity.js';

export type BackupType = 'full' | 'diff' | 'incr';

/**
 * A standby promoted moments ago writes its new timeline into pg_control only at the checkpoint
 * that ends recovery; until then pgBackRest refuses ("WAL timeline 2 does not match pg_control
 * timeline 1"). A CHECKPOINT settles it.
 */
async function settlePromotion(ctx: BackupContext, node: PostgresNodeSpec): Promise<void> {
  const conn = { host: node.paths.socketDir, port: node.port.listenPort, user: ctx.spec.roles.superuser.name, database: 'postgres', queryTimeoutMs: 300_000 };
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

async function lastArchived(ctx: BackupContext, node: PostgresNodeSpec): Promise<{ wal: string | null; time: Date | null; failed: number; lastFailed: string | null; segmentsBehind: number | null }> {
  const [row] = await query<{ last_archived_wal: string | null; last_archived_time: Date | null; failed_count: string; last_failed_wal: string | null; current_wal: string }>(
    { host: node.paths.socketDir, port: node.port.listenPort, user: ctx.spec.roles.superuser.name, database: 'postgres', connectTimeoutMs: 2_000, queryTimeoutMs: 3_000 },
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

/** `synth backups`: every backup with its sizes, and the window a restore can reach. */
export async function listBackups(ctx: BackupContext): Promise<BackupList> {
  const info = await repositoryInfo(ctx);
  const primary = await currentPrimary(ctx).catch(() => null);
  const archived = primary ? await lastArchived(ctx, primary).catch(() => null) : null;
  const lastSegment = info.archive.map((a) => a.max).filter((m): m is string => m !== null).sort().at(-1) ?? null;
  return { ...info, window: { from: info.backups[0]?.stop ?? null, to: archived?.time ?? null, lastSegment } };
}

// ---- restore -------------------------------------------------------------------------------

const LABEL = /^\d{8}-\d{6}F(_\d{8}-\d{6}[DI])?$/;
/** A PostgreSQL timestamp: date, time with optional fraction, and a zone (+00, +01:00, Z, UTC). */
const TIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?\s?([+-]\d{2}(:?\d{2})?|Z|UTC)$/;

/** `--to` as pgBackRest restore options: latest (end of the archive), a backup label, or a time. */
export function restoreTarget(to: string): string[] {
  if (to === 'latest') return [];
  if (LABEL.test(to)) return [`--set=${to}`, '--type=immediate', '--target-action=promote'];
  if (!TIME.test(to)) {
    // A time without a zone would be read in the restored server's zone: a silent shift of hours.
    throw new LocalSetupError('RESTORE_TARGET', `--to ${JSON.stringify(to)} is not 'latest', a backup label (synth backups lists them) or a time with its zone`, "give a time with its zone, e.g. --to '2026-11-30 14:05:00+00'");
  }
  return ['--type=time', `--target=${to}`, '--target-action=promote'];
}

export interface RestoreOptions {
  to: string;
  into: string;
  /** Allow restoring over a node's data directory (the node must be stopped). */
  force?: boolean;
  /** Asked with the list of what a forced restore replaces; false refuses. */
  confirm?: (replaced: string[]) => Promise<boolean>;
}

export interface RestoreResult {
  dir: string;
  durationMs: number;
  /** The node whose data directory was replaced (forced restore), else null. */
  replacedNode: string | null;
}

function inside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}

/**
 * `synth restore`: into a new (missing or empty) directory, with archive_mode off so the copy
 * cannot push WAL into the cluster's repository. Over a node's data directory only with
 * `force`, the node stopped, and a confirmation of what is replaced.
 */
export async function restoreBackup(ctx: BackupContext, options: RestoreOptions): Promise<RestoreResult> {
  const dir = resolve(options.into);
  const target = restoreTarget(options.to);
  const node = ctx.spec.postgres.find((n) => inside(dir, n.paths.dataDir) || inside(n.paths.dataDir, dir));
  const started = performance.now();
  if (node) {
    if (!options.force) {
      throw new LocalSetupError(
        'RESTORE_OVER_NODE',
        `${dir} holds the data directory of ${node.path}: restoring there replaces the cluster's own data.`,
        'restore into a new directory (--into /some/new/dir) and check it first; to replace the node anyway, stop it and add --force',
      );
    }
    if (dir !== node.paths.dataDir) throw new LocalSetupError('RESTORE_OVER_NODE', `--into must be exactly ${node.paths.dataDir} to replace ${node.path}`, `use --into ${node.paths.dataDir}`);
    const record = readState(ctx.layout.stateFile)?.services.find((s) => s.id === node.id);
    if ((record && isServiceRunning(record)) || existsSync(`${dir}/postmaster.pid`)) {
      throw new LocalSetupError('RESTORE_NODE_RUNNING', `${node.path} is running: a restore never replaces a running server's files.`, `stop it first (synth down), then run the restore again`);
    }
    const replaced = existsSync(dir) ? readdirSync(dir).map((f) => `${dir}/${f}`) : [];
    const question = [`${node.path}'s data directory ${dir} (${replaced.length} entries) is replaced by the backup; files not in the backup are deleted`, ...replaced];
    if (!options.confirm || !(await options.confirm(question))) {
      throw new LocalSetupError('RESTORE_NOT_CONFIRMED', `restore over ${dir} was not confirmed: nothing changed`, 'answer y at the prompt (it needs a terminal)');
    }
    if (!existsSync(dir)) makeOwnedDir(dir, ctx.runAs, 0o700); // a lost data directory
    // --delta keeps matching files and removes the rest; archiving stays on (the node's own config).
    await runPgbackrest(ctx, node, [`--pg1-path=${dir}`, '--delta', ...target, 'restore']);
    await finishRecovery(ctx, node);
    return { dir, durationMs: performance.now() - started, replacedNode: node.id };
  }
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new LocalSetupError('RESTORE_DIR_NOT_EMPTY', `${dir} is not empty: a restore writes into a new directory and never over files it did not make.`, 'give a new or empty directory with --into');
  }
  makeOwnedDir(dir, ctx.runAs, 0o700);
  await runPgbackrest(ctx, ctx.spec.postgres[0]!, [`--pg1-path=${dir}`, '--archive-mode=off', ...target, 'restore']);
  return { dir, durationMs: performance.now() - started, replacedNode: null };
}

/**
 * Runs the restored node once, under its own configuration, until it has replayed the archive
 * and promoted itself, then stops it: `synth up` then finds a primary, not a server still
 * replaying (which would refuse the bootstrap's writes).
 */
async function finishRecovery(ctx: BackupContext, node: PostgresNodeSpec): Promise<void> {
  const { binDir } = findPostgresBinaries(ctx.spec.postgresVersion);
  makeOwnedDir(node.paths.socketDir, ctx.runAs);
  const server = await startPostgres({
    binDir,
    dataDir: node.paths.dataDir,
    configFile: postgresConfigFile(node.paths.configDir),
    logFile: node.paths.logFile,
    pidFile: ctx.layout.pidFile(node.id),
    runAs: ctx.runAs,
    name: `${node.id} (recovering)`,
    readyTimeoutMs: 600_000,
  });
  try {
    const conn = { host: node.paths.socketDir, port: node.port.listenPort, user: ctx.spec.roles.superuser.name, database: 'postgres' };
    const deadline = Date.now() + 60 * 60_000;
    while ((await query<{ r: boolean }>(conn, 'SELECT pg_catalog.pg_is_in_recovery() AS r'))[0]?.r) {
      if (Date.now() > deadline) throw new LocalRunError('RECOVERY_SLOW', `${node.path} still replays WAL after an hour`, { fix: `read ${node.paths.logFile}` });
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await stopPostgres(server);
  }
}

// ---- health ----------------------------------------------------------------------------------

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
    const archiver = await lastArchived(ctx, primary).catch(() => null);
    if (archiver && archiver.failed > 0 && archiver.lastFailed && (!archiver.wal || archiver.lastFailed > archiver.wal)) {
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

// ---- status ----------------------------------------------------------------------------------

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
  const archiver = primary ? await lastArchived(ctx, primary).catch(() => null) : null;
  if (!archiver) parts.push('archiving: no running primary');
  else {
    const lag = archiver.segmentsBehind === null ? 'nothing archived yet' : `${archiver.segmentsBehind} segment(s) behind`;
    const failing = archiver.failed > 0 && archiver.lastFailed && (!archiver.wal || archiver.lastFailed > archiver.wal) ? `, FAILING on ${archiver.lastFailed}` : '';
    parts.push(`archiving from ${primary!.id}: ${lag}${archiver.wal ? ` (last ${archiver.wal})` : ''}${failing}`);
  }
  return parts.join('; ');
}

export type { BackupEntry };
export { lastArchived as archiverStatus };
