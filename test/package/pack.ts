import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

// The library as npm would publish it: a fresh build, packed into `dir`. Shared by the consumer
// test and the docs suite, which both install it into a new project.

export const ROOT = new URL('../../', import.meta.url).pathname;

/** Builds dist/, packs the package into `dir` and returns the tarball's path. */
export function packTarball(dir: string): string {
  execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'pipe' });
  execFileSync('npm', ['pack', '--pack-destination', dir], { cwd: ROOT, stdio: 'pipe' });
  return join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!);
}
