import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

// One synth at a time per output directory: a second one would sweep the first one's temp files
// and race it to the manifest. The lock file holds the owner's pid, so a lock left by a killed
// run is taken over instead of blocking forever.

/** The holder of the lock, when another live process has it. */
export type LockResult = { acquired: true; release: () => void } | { acquired: false; pid: number };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock at `path` (a path through the state directory's handle). */
export function acquireLock(path: string): LockResult {
  // The lock appears with its pid already in it (a hard link of a finished file is atomic): a lock
  // created empty and filled after would look stale to a run reading it in between, which would
  // then remove it and write beside its owner.
  const pending = `${path}.${process.pid}.${randomBytes(6).toString('hex')}`;
  writeFileSync(pending, `${process.pid}\n`, { mode: 0o644 });
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(pending, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const pid = Number(readFileSync(path, 'utf8').trim());
        if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) return { acquired: false, pid };
        rmSync(path, { force: true }); // left by a run that no longer exists
        continue;
      }
      return { acquired: true, release: () => rmSync(path, { force: true }) };
    }
  } finally {
    rmSync(pending, { force: true });
  }
  // Another run took the stale lock between our removal and our retry.
  const pid = Number(readFileSync(path, 'utf8').trim());
  return { acquired: false, pid };
}
