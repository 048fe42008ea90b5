import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// The library as npm would publish it: a fresh build, packed into `dir`. Shared by the consumer
// test and the docs suite, which both install it into a new project; they run in parallel
// workers, and a build starts by deleting dist/, so build and pack hold a lock.

export const ROOT = new URL('../../', import.meta.url).pathname;
const LOCK = join(ROOT, 'node_modules/.pgsynth-pack.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function withLock<T>(fn: () => T): T {
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(join(LOCK, 'pid'), { encoding: 'utf8', flag: 'a+' }));
      // a holder killed mid-build leaves the lock behind: take it over
      if (holder > 0 && !alive(holder)) rmSync(LOCK, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`${LOCK} held by pid ${holder} for 5 minutes`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Builds dist/, packs the package into `dir` and returns the tarball's path. */
export function packTarball(dir: string): string {
  return withLock(() => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'pipe' });
    execFileSync('npm', ['pack', '--pack-destination', dir], { cwd: ROOT, stdio: 'pipe' });
    return join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!);
  });
}
