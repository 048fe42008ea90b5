import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** True when `file` is a regular file we may execute. */
export function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds `name` on a PATH string and returns its real path. Symlinks are
 * resolved because /usr/local/bin/postgres often links into a bin directory
 * whose siblings (initdb, pg_basebackup) are not linked next to it.
 */
export function which(name: string, pathVar = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathVar.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return realpathSync(candidate);
  }
  return undefined;
}
