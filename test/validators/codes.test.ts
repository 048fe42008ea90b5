// Every code pgsynth can print is documented once, in the same PGS style: the rules in the
// registry, every other code in src/codes.ts; `synth explain` and docs/rules.md cover them all.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { CODES, findCode } from '../../src/codes.js';
import { findHaproxy, findPgpool } from '../../src/process/binaries.js';
import { RULES } from '../../src/validators/registry.js';
import { synthCli } from '../cli/harness.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const RULES_DOC = readFileSync(fileURLToPath(new URL('../../docs/rules.md', import.meta.url)), 'utf8');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}
const texts = Object.fromEntries(sources(SRC).map((path) => [relative(SRC, path), readFileSync(path, 'utf8')]));

// explain loads no config: an empty folder will do.
const cwd = mkdtempSync(join(tmpdir(), 'pgsynth-codes-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const documented = new Set([...RULES.map((r) => r.code), ...CODES.map((c) => c.code)]);

describe('printed codes', () => {
  it('are never documented twice', () => {
    expect([...RULES.map((r) => r.code), ...CODES.map((c) => c.code)].length).toBe(documented.size);
    const symbols = CODES.flatMap((c) => (c.symbol ? [c.symbol] : []));
    expect(new Set(symbols).size).toBe(symbols.length);
  });

  it('every PGS code written anywhere in src/ is documented', () => {
    const missing = Object.entries(texts).flatMap(([file, text]) =>
      [...text.matchAll(/\bPGS\d{3}\b/g)].map((m) => m[0]).filter((code) => !documented.has(code)).map((code) => `${code} in src/${file}`),
    );
    expect(missing).toEqual([]);
  });

  it('every symbolic code the local runtime throws maps to a documented PGS code', () => {
    const thrown = Object.values(texts).flatMap((text) =>
      [...text.matchAll(/\b(?:LocalSetupError|LocalRunError|failure)\(\s*'([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1]!),
    );
    expect(thrown.length).toBeGreaterThan(10);
    // findTool builds its codes from the tool's name: ask it for them.
    for (const find of [findPgpool, findHaproxy]) {
      try {
        find({ env: { PATH: '' }, systemDirs: [] });
      } catch (error) {
        thrown.push((error as { code: string }).code);
      }
    }
    expect(thrown).toEqual(expect.arrayContaining(['PGPOOL_NOT_FOUND', 'HAPROXY_NOT_FOUND']));
    expect(thrown.filter((symbol) => !findCode(symbol)?.code.startsWith('PGS'))).toEqual([]);
  });

  it.each([...documented].sort())('%s is in docs/rules.md and explained by synth explain', async (code) => {
    expect(RULES_DOC).toMatch(new RegExp(`^### ${code}: `, 'm'));
    const result = await synthCli(cwd, 'explain', code.toLowerCase());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^${code} \\(`));
    expect(result.stdout).toMatch(/\nWhy: .+\nFix: .+/);
  });

  it('synth explain takes a local-runtime symbol too, and refuses an unknown code', async () => {
    expect((await synthCli(cwd, 'explain', 'PORT_IN_USE')).stdout).toMatch(/^PGS930 \(error, PORT_IN_USE\)/);
    const unknown = await synthCli(cwd, 'explain', 'PGS998');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no code PGS998; every code is listed in docs/rules.md');
  });
});
