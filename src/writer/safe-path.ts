import { lstatSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join, sep } from 'node:path';

/** The writer keeps its own state here; generated files may not live inside it. */
export const STATE_DIR = '.pgsynth';

/**
 * Why a generated path is unacceptable, or undefined when it is a plain relative
 * posix path that stays inside the output directory by construction.
 */
export function pathProblem(path: string): string | undefined {
  if (path === '') return 'the path is empty';
  if (path.includes('\0')) return 'the path contains a NUL byte';
  if (path.includes('\\')) return 'the path contains a backslash (use forward slashes)';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'the path is absolute';
  const segments = path.split('/');
  if (segments.includes('..')) return 'the path contains a ".." segment';
  if (segments.includes('.')) return 'the path contains a "." segment';
  if (segments.includes('')) return 'the path contains an empty segment';
  if (segments[0] === STATE_DIR) return `the path is inside ${STATE_DIR}/, which pgsynth reserves for its manifest`;
  return undefined;
}

/** What currently occupies a (syntactically valid) relative path under outDir. */
export type OnDisk =
  | { kind: 'missing' }
  | { kind: 'file'; content: Buffer; mode: number }
  /** A directory, socket or other non-regular file sits at the path. */
  | { kind: 'not-a-file' }
  /** A parent component is not a directory, so nothing can be written below it. */
  | { kind: 'blocked'; by: string }
  /** A symlink on the way resolves outside the real output directory (or nowhere). */
  | { kind: 'escapes'; via: string };

/**
 * Walks `path` one component at a time from outDir so that a symlink anywhere in the
 * existing chain is caught before anything is read or written through it.
 */
export function lookUp(outDir: string, path: string): OnDisk {
  const segments = path.split('/');
  for (let depth = 1; depth <= segments.length; depth++) {
    const soFar = segments.slice(0, depth).join('/');
    const absolute = join(outDir, soFar);
    const found = statFollowingSafeLinks(outDir, absolute, soFar);
    if (!isStats(found)) return found;
    if (depth < segments.length) {
      if (!found.isDirectory()) return { kind: 'blocked', by: soFar };
    } else if (found.isFile()) {
      return { kind: 'file', content: readFileSync(absolute), mode: found.mode & 0o777 };
    }
  }
  return { kind: 'not-a-file' };
}

function statFollowingSafeLinks(outDir: string, absolute: string, soFar: string): Stats | OnDisk {
  const stats = lstatIfExists(absolute);
  if (stats === undefined) return { kind: 'missing' };
  if (!stats.isSymbolicLink()) return stats;
  return resolvesInside(outDir, absolute) ? statSync(absolute) : { kind: 'escapes', via: soFar };
}

function isStats(found: Stats | OnDisk): found is Stats {
  return !('kind' in found);
}

function resolvesInside(outDir: string, link: string): boolean {
  const realOutDir = realpathSync(outDir);
  let target: string;
  try {
    target = realpathSync(link);
  } catch {
    return false; // dangling: we cannot prove where a write would land
  }
  return target === realOutDir || target.startsWith(realOutDir + sep);
}

function lstatIfExists(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
