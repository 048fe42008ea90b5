// Asks a real PostgreSQL server whether a postgresql.conf is acceptable, without initdb:
// `postgres -C wal_level -D dir` parses dir/postgresql.conf (and postgresql.auto.conf) with the
// server's own lexer and GUC checks, prints the value and exits.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PostgresVersion } from '../../src/model/cluster.js';
import { needServer } from './binaries.js';
import { asPostgres, giveToPostgres } from './postgres-runner.js';

export type TestedMajor = PostgresVersion;

export interface ConfCheck {
  ok: boolean;
  /** On failure, the server's own log lines (without timestamps); on success, what -C printed. */
  message: string;
}

/** "2026-01-01 10:00:00.000 GMT [123] LOG:  text" → "LOG:  text", dropping the final FATAL summary. */
function serverLines(stderr: string): string {
  return stderr
    .split('\n')
    .map((line) => line.replace(/^\S+ \S+ \S+ \[\d+\] /, ''))
    .filter((line) => line !== '' && !line.includes('contains errors'))
    .join('\n');
}

/**
 * Runs the server's own configuration checks on `confText`. `show` names the parameter -C prints
 * (the value in the parameter's base unit, as the server understood it). A major that is not
 * installed fails the test (the host's) or skips it with the reason (an optional one).
 */
export function checkPostgresqlConf(confText: string, major: TestedMajor, show = 'wal_level'): ConfCheck {
  const bin = join(needServer(major), 'postgres');
  const dir = mkdtempSync(join(tmpdir(), `pgsynth-conf-${major}-`));
  try {
    writeFileSync(join(dir, 'postgresql.conf'), confText);
    writeFileSync(join(dir, 'postgresql.auto.conf'), '');
    const args = ['-C', show, '-D', dir];
    let run = spawnSync(bin, args, { encoding: 'utf8', cwd: dir, env: { ...process.env, LC_ALL: 'C' } });
    if (run.status !== 0 && run.stderr.includes('"root" execution')) {
      // Some builds refuse root even for -C; the postgres user then needs to own the folder.
      for (const file of ['', 'postgresql.conf', 'postgresql.auto.conf']) giveToPostgres(join(dir, file));
      run = spawnSync(bin, args, { encoding: 'utf8', cwd: dir, ...asPostgres(), env: { ...process.env, LC_ALL: 'C' } });
    }
    if (run.error) return { ok: false, message: `could not run ${bin}: ${run.error.message}` };
    return run.status === 0
      ? { ok: true, message: run.stdout.replace(/\n$/, '') }
      : { ok: false, message: serverLines(run.stderr) || `postgres exited with status ${run.status}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
