import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// pgsynth runs from src/ (tests, jiti) and from a bundled dist/ whose chunks sit at another depth:
// files shipped beside them (package.json, catalog/) are found from the package root instead.

let root: string | undefined;

/** The directory holding pgsynth's package.json. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('pgsynth: cannot find its package.json above its own modules');
    dir = parent;
  }
  root = dir;
  return root;
}

/** A file shipped with the package, e.g. `catalog/postgres-17.json`. */
export function packageFile(relativePath: string): string {
  return join(packageRoot(), relativePath);
}
