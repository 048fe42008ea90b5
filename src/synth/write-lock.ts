import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

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
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) return { acquired: false, pid };
      rmSync(path, { force: true }); // left by a run that no longer exists
      continue;
    }
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return { acquired: true, release: () => rmSync(path, { force: true }) };
  }
  // Another run took the stale lock between our removal and our retry.
  const pid = Number(readFileSync(path, 'utf8').trim());
  return { acquired: false, pid };
}
