import { closeSync, constants, existsSync, mkdirSync, openSync, readlinkSync, realpathSync } from 'node:fs';
import { sep } from 'node:path';

// Directories of the output tree held open while the writer works in them, so every file is
// created, renamed and deleted relative to a directory that was verified to be inside the output
// directory when it was opened. Node has no openat/renameat; on Linux /proc/self/fd/<fd> names
// the opened directory itself, so a symlink swapped in for a path afterwards changes nothing.

const PROC_FD = '/proc/self/fd';

export class DirEscapeError extends Error {
  constructor(
    readonly relative: string,
    readonly where: string,
  ) {
    super(`${relative} leads to ${where}`);
  }
}

export class DirHandles {
  /** The output directory as verified once, at the start (it may itself be a symlink). */
  readonly real: string;
  private readonly fds = new Map<string, number>();
  private readonly pinned: boolean;

  constructor(outDir: string) {
    this.real = realpathSync(outDir);
    this.pinned = existsSync(PROC_FD);
    if (this.pinned) this.fds.set('', openSync(this.real, constants.O_RDONLY | constants.O_DIRECTORY));
  }

  /**
   * A path through which the directory `relative` ('' for the output directory, 'a/b') is
   * reached: on Linux the /proc name of its open descriptor, opened one component at a time and
   * checked to lie inside the output directory. With `create`, missing components are made.
   */
  dir(relative: string, create: boolean): string {
    if (!this.pinned) {
      if (create) mkdirSync(relative ? `${this.real}/${relative}` : this.real, { recursive: true });
      return relative ? `${this.real}/${relative}` : this.real;
    }
    const known = this.fds.get(relative);
    if (known !== undefined) return `${PROC_FD}/${known}`;
    const slash = relative.lastIndexOf('/');
    const parent = this.dir(slash < 0 ? '' : relative.slice(0, slash), create);
    const path = `${parent}/${relative.slice(slash + 1)}`;
    if (create) {
      try {
        mkdirSync(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    const fd = openSync(path, constants.O_RDONLY | constants.O_DIRECTORY);
    const where = readlinkSync(`${PROC_FD}/${fd}`);
    if (where !== this.real && !where.startsWith(this.real + sep)) {
      closeSync(fd);
      throw new DirEscapeError(relative, where);
    }
    this.fds.set(relative, fd);
    return `${PROC_FD}/${fd}`;
  }

  /** The path of `relative` (a file or directory) through its parent's handle. */
  entry(relative: string, createParents: boolean): string {
    const slash = relative.lastIndexOf('/');
    return `${this.dir(slash < 0 ? '' : relative.slice(0, slash), createParents)}/${relative.slice(slash + 1)}`;
  }

  /** Forgets a directory (after it was removed), so a later use opens it again. */
  forget(relative: string): void {
    const fd = this.fds.get(relative);
    if (fd === undefined) return;
    closeSync(fd);
    this.fds.delete(relative);
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}
