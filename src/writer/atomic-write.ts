import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** `.<name>.<pid>.<12 hex>.tmp`: specific enough that cleanup never matches a user's file by accident. */
const TEMP_FILE = /^\..+\.\d+\.[0-9a-f]{12}\.tmp$/;

/**
 * Replaces `path` so that readers (and a crash) only ever see the old or the new
 * content: the bytes go to a sibling temp file, reach the disk, get their final
 * mode, and only then are renamed over the target in one step.
 */
export function writeFileAtomic(path: string, content: string, mode: number): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  // Created owner-only so a secret is never readable by others, even briefly.
  const fd = openSync(temp, 'wx', 0o600);
  try {
    try {
      writeFileSync(fd, content);
      fchmodSync(fd, mode);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Removes temp files an interrupted earlier run left in `dir`. */
export function removeLeftoverTempFiles(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (TEMP_FILE.test(name)) rmSync(join(dir, name), { force: true });
  }
}

/** Makes the renames into `dir` durable, not just the file contents. */
export function fsyncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch (error) {
    if (isUnsupported(error)) return;
    throw error;
  }
  try {
    fsyncSync(fd);
  } catch (error) {
    if (!isUnsupported(error)) throw error;
  } finally {
    closeSync(fd);
  }
}

// Windows cannot open or fsync directories; there the rename itself is all we get.
function isUnsupported(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EISDIR' || code === 'EPERM' || code === 'EINVAL';
}
