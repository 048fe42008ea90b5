// One value of one parameter through the real server's checks: `postgres -C name -c name=value`
// on an empty configuration folder (no initdb). For comparing the settings check with the server.
import { spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needServer } from './binaries.js';
import type { TestedMajor } from './postgres-check.js';

export interface ServerProbe {
  /** null when the server accepts the value, else its message. */
  refusal(name: string, value: string): string | null;
  close(): void;
}

export function serverProbe(major: TestedMajor): ServerProbe {
  const dir = mkdtempSync(join(tmpdir(), `pgsynth-probe-${major}-`));
  writeFileSync(join(dir, 'postgresql.conf'), '');
  writeFileSync(join(dir, 'postgresql.auto.conf'), '');
  const bin = join(needServer(major), 'postgres');
  let ids: { uid: number; gid: number } | undefined;
  if (process.getuid?.() === 0) {
    const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
    ids = { uid: id('-u'), gid: id('-g') };
    for (const file of ['', 'postgresql.conf', 'postgresql.auto.conf']) chownSync(join(dir, file), ids.uid, ids.gid);
  }
  return {
    refusal(name, value) {
      const run = spawnSync(bin, ['-C', name, '-D', dir, '-c', `${name}=${value}`], {
        encoding: 'utf8', cwd: dir, ...(ids ?? {}), env: { ...process.env, LC_ALL: 'C' }, timeout: 20_000,
      });
      if (run.error) throw new Error(`could not run ${bin} (install the Debian package postgresql, or run npm ci for the embedded majors): ${run.error.message}`);
      if (run.status === 0) return null;
      return run.stderr.split('\n').map((l) => l.replace(/^\S+ \S+ \S+ \[\d+\] /, '')).filter(Boolean).join(' | ') || `status ${run.status}`;
    },
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}
