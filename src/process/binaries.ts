/**
 * Finds the PostgreSQL, Pgpool-II and HAProxy binaries `synth up` runs,
 * and says which Debian package to install when one is missing.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { LocalSetupError } from './errors.js';
import { isExecutable, which } from './which.js';

export { LocalSetupError } from './errors.js';

export interface PostgresBinaries {
  /** Directory holding postgres, initdb, pg_basebackup (symlinks resolved). */
  binDir: string;
  /** Full version as printed by `postgres --version`, e.g. "15.18". */
  version: string;
  major: number;
}

export interface ToolBinary {
  /** Absolute path of the executable. */
  bin: string;
  /** Its directory: pcp_* tools sit next to pgpool. */
  binDir: string;
  /** e.g. "4.3.5" for pgpool, "2.6.12" for HAProxy. */
  version: string;
}

export interface FindPostgresOptions {
  /** `--pg-bin`: use only this directory. */
  pgBin?: string;
  /** Tools that must sit next to postgres. pg_ctl and psql are not needed. */
  tools?: readonly string[];
  /** Environment whose PATH is searched (tests pass their own). */
  env?: NodeJS.ProcessEnv;
}

export interface FindToolOptions {
  /** Explicit path of the executable; skips the search. */
  bin?: string;
  env?: NodeJS.ProcessEnv;
  /** Directories tried after PATH. */
  systemDirs?: readonly string[];
}

const DEFAULT_PG_TOOLS = ['postgres', 'initdb', 'pg_basebackup'] as const;
const SYSTEM_DIRS = ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin'] as const;

function pgInstallFix(major: number): string {
  return (
    `Install it with \`apt-get install postgresql-${major}\` (Debian/Ubuntu; \`apt-get install postgresql\` ` +
    `gives the distribution's default major), or pass --pg-bin <dir> pointing at PostgreSQL ${major}'s bin directory.`
  );
}

/** `--version` output of a binary (stdout and stderr: pgpool prints to stderr). */
function versionOutput(bin: string): string {
  const result = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 5_000 });
  return `${result.stdout ?? ''}${result.stderr ?? ''}`;
}

/** Parses "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)". */
export function parsePostgresVersion(output: string): { version: string; major: number } | undefined {
  const match = /\(PostgreSQL\)\s+(\d+)((?:\.\d+)*(?:[a-z]+\d*)?)/.exec(output);
  if (!match?.[1]) return undefined;
  return { version: match[1] + (match[2] ?? ''), major: Number(match[1]) };
}

/** Parses "pgpool-II version 4.3.5 (tamahomeboshi)". */
export function parsePgpoolVersion(output: string): string | undefined {
  return /pgpool-II version (\d+\.\d+(?:\.\d+)?)/.exec(output)?.[1];
}

/** Parses "HAProxy version 2.6.12-1+deb12u4 2026/10/17 - https://haproxy.org/". */
export function parseHaproxyVersion(output: string): string | undefined {
  return /HAProxy version (\d+\.\d+(?:\.\d+)?)/.exec(output)?.[1];
}

function pgConfigBinDir(env: NodeJS.ProcessEnv): string | undefined {
  const pgConfig = which('pg_config', env.PATH ?? '');
  if (!pgConfig) return undefined;
  const result = spawnSync(pgConfig, ['--bindir'], { encoding: 'utf8', timeout: 5_000 });
  const dir = result.status === 0 ? result.stdout.trim() : '';
  return dir || undefined;
}

function inspectPostgresDir(dir: string): PostgresBinaries | undefined {
  const postgres = join(dir, 'postgres');
  if (!isExecutable(postgres)) return undefined;
  const parsed = parsePostgresVersion(versionOutput(postgres));
  return parsed && { binDir: dir, ...parsed };
}

function requireTools(found: PostgresBinaries, tools: readonly string[]): PostgresBinaries {
  const missing = tools.filter((tool) => !isExecutable(join(found.binDir, tool)));
  if (missing.length > 0) {
    throw new LocalSetupError(
      'PG_TOOL_MISSING',
      `${missing.join(', ')} not found next to postgres ${found.version} in ${found.binDir}.`,
      pgInstallFix(found.major),
    );
  }
  return found;
}

/**
 * Search order: `--pg-bin` (alone, when given), `postgres` on PATH,
 * `pg_config --bindir`, then /usr/lib/postgresql/<major>/bin. The first
 * directory whose postgres has the wanted major wins.
 */
export function findPostgresBinaries(major: number, opts: FindPostgresOptions = {}): PostgresBinaries {
  const env = opts.env ?? process.env;
  const tools = opts.tools ?? DEFAULT_PG_TOOLS;

  if (opts.pgBin) {
    const found = inspectPostgresDir(opts.pgBin);
    if (!found) {
      throw new LocalSetupError(
        'PG_NOT_FOUND',
        `No working postgres executable in --pg-bin ${opts.pgBin}.`,
        pgInstallFix(major),
      );
    }
    if (found.major !== major) {
      throw new LocalSetupError(
        'PG_WRONG_MAJOR',
        `--pg-bin ${opts.pgBin} holds PostgreSQL ${found.version}, but the cluster needs PostgreSQL ${major}.`,
        pgInstallFix(major),
      );
    }
    return requireTools(found, tools);
  }

  const onPath = which('postgres', env.PATH ?? '');
  const candidates = [
    onPath && dirname(onPath),
    pgConfigBinDir(env),
    `/usr/lib/postgresql/${major}/bin`,
  ].filter((dir): dir is string => Boolean(dir));

  const otherVersions: string[] = [];
  for (const dir of new Set(candidates)) {
    const found = inspectPostgresDir(dir);
    if (!found) continue;
    if (found.major === major) return requireTools(found, tools);
    otherVersions.push(`${found.version} in ${dir}`);
  }

  if (otherVersions.length > 0) {
    throw new LocalSetupError(
      'PG_WRONG_MAJOR',
      `PostgreSQL ${major} not found; found only PostgreSQL ${otherVersions.join(', ')}.`,
      pgInstallFix(major),
    );
  }
  throw new LocalSetupError(
    'PG_NOT_FOUND',
    `PostgreSQL ${major} not found (searched PATH, pg_config --bindir, /usr/lib/postgresql/${major}/bin).`,
    pgInstallFix(major),
  );
}

interface ToolSpec {
  name: string;
  label: string;
  debianPackage: string;
  parse: (output: string) => string | undefined;
}

function findTool(spec: ToolSpec, opts: FindToolOptions): ToolBinary {
  const env = opts.env ?? process.env;
  const fix = `Install it with \`apt-get install ${spec.debianPackage}\` (Debian/Ubuntu).`;
  const candidates = opts.bin
    ? [opts.bin]
    : [which(spec.name, env.PATH ?? ''), ...(opts.systemDirs ?? SYSTEM_DIRS).map((dir) => join(dir, spec.name))];

  for (const bin of candidates) {
    if (!bin || !isExecutable(bin)) continue;
    const version = spec.parse(versionOutput(bin));
    if (!version) {
      throw new LocalSetupError(
        `${spec.name.toUpperCase()}_BAD_VERSION`,
        `${bin} did not report a ${spec.label} version.`,
        fix,
      );
    }
    return { bin, binDir: dirname(bin), version };
  }
  throw new LocalSetupError(
    `${spec.name.toUpperCase()}_NOT_FOUND`,
    opts.bin ? `${spec.label} not found at ${opts.bin}.` : `${spec.label} (${spec.name}) not found on PATH or in /usr/sbin.`,
    fix,
  );
}

export function findPgpool(opts: FindToolOptions = {}): ToolBinary {
  return findTool({ name: 'pgpool', label: 'Pgpool-II', debianPackage: 'pgpool2', parse: parsePgpoolVersion }, opts);
}

export function findHaproxy(opts: FindToolOptions = {}): ToolBinary {
  return findTool({ name: 'haproxy', label: 'HAProxy', debianPackage: 'haproxy', parse: parseHaproxyVersion }, opts);
}
