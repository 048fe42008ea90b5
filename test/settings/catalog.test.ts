import * as fs from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CATALOG_COLUMNS } from '../../src/settings/catalog-format.js';
import { catalogUrl, findSetting, loadCatalog, SUPPORTED_MAJORS } from '../../src/settings/catalog.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

vi.mock('node:fs', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:fs')>();
  return { ...original, readFileSync: vi.fn(original.readFileSync) };
});

afterEach(() => {
  vi.mocked(fs.readFileSync).mockClear();
});

describe('committed catalogs', () => {
  it.each(SUPPORTED_MAJORS)('postgres-%i.json holds one sorted row per pg_settings entry', (major) => {
    const file = JSON.parse(readFileSync(join(ROOT, `catalog/postgres-${major}.json`), 'utf8'));
    expect(file.major).toBe(major);
    expect(file.version).toMatch(new RegExp(`^${major}\\.\\d+$`));
    expect(file.columns).toEqual([...CATALOG_COLUMNS]);
    const names: string[] = file.settings.map((row: unknown[]) => row[0]);
    expect(names).toEqual([...names].sort());
    expect(names.length).toBeGreaterThan(320);
    expect(file.settings.every((row: unknown[]) => row.length === CATALOG_COLUMNS.length)).toBe(true);
  });

  it('carries what the validator needs', () => {
    const sharedBuffers = loadCatalog(17).settings.get('shared_buffers');
    expect(sharedBuffers).toMatchObject({ type: 'integer', unit: '8kB', min: 16, max: 1073741823, context: 'postmaster' });
    expect(loadCatalog(17).settings.get('wal_level')!.enumValues).toEqual(['minimal', 'replica', 'logical']);
    expect(findSetting(loadCatalog(13), 'TIMEZONE')!.name).toBe('TimeZone');
  });
});

describe('loadCatalog', () => {
  it('reads only the major asked for, once', async () => {
    vi.resetModules();
    const fresh = await import('../../src/settings/catalog.js');
    const readsOfCatalogs = () => vi.mocked(fs.readFileSync).mock.calls
      .map(([path]) => String(path))
      .filter((path) => path.includes('/catalog/postgres-'));
    const first = fresh.loadCatalog(16);
    expect(fresh.loadCatalog(16)).toBe(first);
    expect(readsOfCatalogs()).toEqual([`file://${ROOT}catalog/postgres-16.json`]);
  });

  it('refuses an unsupported major', () => {
    expect(() => loadCatalog(12 as never)).toThrow('PostgreSQL 12 is not supported; supported majors: 13, 14, 15, 16, 17');
  });

  it('reads the catalog shipped at the package root (src/ and the bundled dist/ find it alike)', () => {
    // The packed-tarball consumer test (test/package) loads it from an installed dist/.
    expect(fileURLToPath(catalogUrl(17))).toBe(join(ROOT, 'catalog/postgres-17.json'));
  });
});
