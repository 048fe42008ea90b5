import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  findHaproxy,
  findPgpool,
  findPostgresBinaries,
  LocalSetupError,
  parseHaproxyVersion,
  parsePgpoolVersion,
  parsePostgresVersion,
} from '../../src/process/binaries.js';
import { hostPostgres } from '../support/binaries.js';

const scratch = mkdtempSync(join(tmpdir(), 'pgsynth-bin-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A directory whose `postgres` is a shell script printing `version`. */
function fakePgBin(name: string, version: string, tools: string[] = ['initdb', 'pg_basebackup']): string {
  const dir = join(scratch, name);
  mkdirSync(dir);
  for (const tool of ['postgres', ...tools]) {
    writeFileSync(join(dir, tool), `#!/bin/sh\necho "${tool} (PostgreSQL) ${version}"\n`);
    chmodSync(join(dir, tool), 0o755);
  }
  return dir;
}

function setupError(fn: () => unknown): LocalSetupError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(LocalSetupError);
    return error as LocalSetupError;
  }
  throw new Error('expected a LocalSetupError');
}

describe('version parsing', () => {
  test('reads the versions the three tools print', () => {
    expect(parsePostgresVersion('postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)')).toEqual({ version: '15.18', major: 15 });
    expect(parsePostgresVersion('postgres (PostgreSQL) 17beta2')).toEqual({ version: '17beta2', major: 17 });
    expect(parsePostgresVersion('bash: postgres: not found')).toBeUndefined();
    expect(parsePgpoolVersion('pgpool-II version 4.3.5 (tamahomeboshi)')).toBe('4.3.5');
    expect(parseHaproxyVersion('HAProxy version 2.6.12-1+deb12u4 2026/10/17 - https://haproxy.org/')).toBe('2.6.12');
  });
});

describe('findPostgresBinaries', () => {
  test("finds the host's PostgreSQL and resolves a PATH symlink to its real bin dir", () => {
    const host = hostPostgres();
    const linkDir = join(scratch, 'linked');
    mkdirSync(linkDir);
    symlinkSync(join(host.binDir, 'postgres'), join(linkDir, 'postgres'));
    const found = findPostgresBinaries(host.major, { env: { PATH: linkDir } });
    expect(found.binDir).toBe(realpathSync(host.binDir));
    expect(found.major).toBe(host.major);
    expect(found.version).toMatch(new RegExp(`^${host.major}\\.\\d+`));
  });

  test('a --pg-bin without postgres names the package to install', () => {
    const error = setupError(() => findPostgresBinaries(15, { pgBin: join(scratch, 'missing') }));
    expect(error.code).toBe('PG_NOT_FOUND');
    expect(error.message).toContain(join(scratch, 'missing'));
    expect(error.fix).toContain('apt-get install postgresql-15');
  });

  test('a --pg-bin holding another major is refused', () => {
    const dir = fakePgBin('pg16', '16.4');
    const error = setupError(() => findPostgresBinaries(15, { pgBin: dir }));
    expect(error.code).toBe('PG_WRONG_MAJOR');
    expect(error.message).toBe(`--pg-bin ${dir} holds PostgreSQL 16.4, but the cluster needs PostgreSQL 15.`);
    expect(error.fix).toContain('apt-get install postgresql-15');
  });

  test('a --pg-bin with the right major but no pg_basebackup says which tool is missing', () => {
    const dir = fakePgBin('pg15-partial', '15.2', ['initdb']);
    const error = setupError(() => findPostgresBinaries(15, { pgBin: dir }));
    expect(error.code).toBe('PG_TOOL_MISSING');
    expect(error.message).toContain('pg_basebackup');
    expect(findPostgresBinaries(15, { pgBin: dir, tools: ['postgres', 'initdb'] }).version).toBe('15.2');
  });

  test('a major not installed anywhere lists what was found instead', () => {
    const error = setupError(() => findPostgresBinaries(99, { env: { PATH: fakePgBin('pg14', '14.11') } }));
    expect(error.code).toBe('PG_WRONG_MAJOR');
    expect(error.message).toContain('14.11');
    expect(error.fix).toContain('apt-get install postgresql-99');
  });
});

describe('findPgpool / findHaproxy', () => {
  test('find the installed Pgpool-II and HAProxy with their versions', () => {
    const pgpool = findPgpool();
    expect(pgpool).toMatchObject({ bin: expect.stringMatching(/\/pgpool$/), version: expect.stringMatching(/^4\.\d+\.\d+$/) });
    expect(pgpool.binDir).toBe(dirname(pgpool.bin));
    expect(findHaproxy()).toMatchObject({ bin: expect.stringMatching(/\/haproxy$/), version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
  });

  test('missing binaries name the Debian package', () => {
    const none = { env: { PATH: '' }, systemDirs: [] };
    const pgpool = setupError(() => findPgpool(none));
    expect(pgpool.code).toBe('PGPOOL_NOT_FOUND');
    expect(pgpool.fix).toContain('apt-get install pgpool2');
    const haproxy = setupError(() => findHaproxy(none));
    expect(haproxy.code).toBe('HAPROXY_NOT_FOUND');
    expect(haproxy.fix).toContain('apt-get install haproxy');
  });

  test('an executable that is not the tool is reported as such', () => {
    const error = setupError(() => findPgpool({ bin: '/bin/true' }));
    expect(error.code).toBe('PGPOOL_BAD_VERSION');
  });
});
