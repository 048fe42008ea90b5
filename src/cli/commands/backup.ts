import { createInterface } from 'node:readline/promises';
import { relative } from 'node:path';
import type { Cluster } from '../../model/cluster.js';
import { backupContext } from '../../local/backup/context.js';
import { checkBackups, listBackups, restoreBackup, takeBackup, type BackupType } from '../../local/backup/index.js';
import { formatSeconds } from '../../local/progress.js';
import { UsageError, type CliArgs } from '../args.js';
import { green, red, yellow, type Output } from '../output.js';

// `synth backup`, `synth backups`, `synth restore`, `synth check-backups`: pgBackRest on the
// local cluster (synth up), always against the node that is primary now.

function size(bytes: number): string {
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} kB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

const time = (d: Date | null) => (d ? d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '+00') : 'unknown');

function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

async function backup(o: Output, cluster: Cluster, args: CliArgs): Promise<number> {
  const type = (args.type ?? 'full') as BackupType;
  if (!['full', 'diff', 'incr'].includes(type)) throw new UsageError(`--type must be full, diff or incr, not '${args.type}'`);
  const result = await takeBackup(backupContext(cluster), type);
  const b = result.backup;
  o.out(green(o, `${b.label} (${b.type}) of ${result.node} in ${formatSeconds(result.durationMs)}: database ${size(b.databaseSize)}, stored ${size(b.repositorySize)}`));
  return 0;
}

async function backups(o: Output, cluster: Cluster): Promise<number> {
  const list = await listBackups(backupContext(cluster));
  if (list.backups.length === 0) {
    o.out(yellow(o, 'no backups yet: synth backup takes the first (a full one)'));
    return 0;
  }
  const rows = [['LABEL', 'TYPE', 'STARTED', 'FINISHED', 'DATABASE', 'STORED', 'BASED ON']];
  for (const b of list.backups) rows.push([b.label, b.type, time(b.start), time(b.stop), size(b.databaseSize), size(b.repositorySize), b.prior ?? '']);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows) o.out(`  ${r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ')}`.trimEnd());
  const to = list.window.to ? time(list.window.to) : 'the newest archived WAL';
  o.out(`Recovery window: ${time(list.window.from)} to ${to}${list.window.lastSegment ? ` (last segment ${list.window.lastSegment})` : ''}`);
  return 0;
}

/** A y/N question on the terminal; refused without one, so no script replaces data by accident. */
async function confirmOnTerminal(o: Output, lines: string[]): Promise<boolean> {
  o.err(yellow(o, 'This replaces:'));
  for (const line of lines.slice(0, 40)) o.err(`  ${line}`);
  if (lines.length > 40) o.err(`  … and ${lines.length - 40} more`);
  if (!process.stdin.isTTY) {
    o.err(red(o, 'no terminal to confirm on: refusing'));
    return false;
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question('Replace it? [y/N] ')).trim());
  } finally {
    rl.close();
  }
}

async function restore(o: Output, cluster: Cluster, args: CliArgs): Promise<number> {
  if (!args.to) throw new UsageError("restore needs --to <time|label|latest>, e.g. --to '2026-11-30 14:05:00+00'");
  if (!args.into) throw new UsageError('restore needs --into DIR: a new directory for the restored data (never the running cluster)');
  const ctx = backupContext(cluster);
  const result = await restoreBackup(ctx, { to: args.to, into: args.into, force: args.force, confirm: (lines) => confirmOnTerminal(o, lines) });
  o.out(green(o, `restored ${args.to} into ${shown(result.dir)} in ${formatSeconds(result.durationMs)}`));
  if (result.replacedNode) {
    o.out(`${result.replacedNode} replayed the archive to the target and was promoted; start the cluster with synth up (standbys on the old timeline: move their data directories aside first, see docs/backup.md)`);
  } else {
    o.out('archive_mode is off in the copy, so it never pushes WAL into the cluster\'s repository. Start it on a free port:');
    o.out(`  pg_ctl -D ${shown(result.dir)} -o "-c port=5999 -c unix_socket_directories=/tmp -c listen_addresses=''" -l ${shown(result.dir)}.log start`);
  }
  return 0;
}

async function check(o: Output, cluster: Cluster): Promise<number> {
  const result = await checkBackups(backupContext(cluster));
  for (const p of result.problems) o.out(`${red(o, 'problem')} ${p}`);
  for (const n of result.notes) o.out(`${green(o, 'ok')} ${n}`);
  o.out(result.ok ? green(o, 'backups are healthy') : red(o, `${result.problems.length} problem(s): a restore may fail`));
  return result.ok ? 0 : 1;
}

export function runBackupCommand(command: 'backup' | 'backups' | 'restore' | 'check-backups', o: Output, cluster: Cluster, args: CliArgs): Promise<number> {
  switch (command) {
    case 'backup':
      return backup(o, cluster, args);
    case 'backups':
      return backups(o, cluster);
    case 'restore':
      return restore(o, cluster, args);
    case 'check-backups':
      return check(o, cluster);
  }
}
