import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Cluster } from '../../src/index.js';

export const FIXTURES_DIR = new URL('../../fixtures/', import.meta.url).pathname;

/** Every fixture directory that has a cluster.config.ts. */
export function fixtureNames(): string[] {
  return readdirSync(FIXTURES_DIR)
    .filter((name) => statSync(join(FIXTURES_DIR, name)).isDirectory())
    .filter((name) => readdirSync(join(FIXTURES_DIR, name)).includes('cluster.config.ts'))
    .sort();
}

export async function loadFixture(name: string): Promise<Cluster> {
  const mod = (await import(join(FIXTURES_DIR, name, 'cluster.config.ts'))) as { default: Cluster };
  return mod.default;
}

export function goldenDir(name: string): string {
  return join(FIXTURES_DIR, name, 'cluster');
}

/** The golden tree on disk as `{ path: content }`. */
export function readGolden(name: string): Record<string, string> {
  const root = goldenDir(name);
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out[relative(root, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(root);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}
