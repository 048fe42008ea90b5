import { existsSync, readdirSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { PostgresNodeSpec } from '../../model/spec.js';
import { findPostgresBinaries } from '../../process/binaries.js';
import { LocalRunError, LocalSetupError } from '../../process/errors.js';
import { makeOwnedDir } from '../../process/files.js';
import { stopServer } from '../../process/processes.js';
import { query } from '../../process/sql.js';
import { startNodeServer } from '../postgres-service.js';
import { isServiceRunning, readState } from '../state.js';
import { runPgbackrest, type BackupContext } from './context.js';
import { PROBE_TIMEOUTS, superuserConn } from '../superuser-conn.js';

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
  const server = await startNodeServer(node, { binDir, pidFile: ctx.layout.pidFile(node.id), runAs: ctx.runAs, name: `${node.id} (recovering)`, readyTimeoutMs: 600_000 });
  try {
    const conn = superuserConn(ctx.spec, node, { ...PROBE_TIMEOUTS, queryTimeoutMs: 10_000 });
    const deadline = Date.now() + 60 * 60_000;
    while ((await query<{ r: boolean }>(conn, 'SELECT pg_catalog.pg_is_in_recovery() AS r'))[0]?.r) {
      if (Date.now() > deadline) throw new LocalRunError('RECOVERY_SLOW', `${node.path} still replays WAL after an hour`, { fix: `read ${node.paths.logFile}` });
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await stopServer(server, { signal: 'SIGINT', timeoutMs: 30_000 }); // fast shutdown
  }
}
