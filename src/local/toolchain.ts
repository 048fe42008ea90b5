import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SUPPORTED_PGPOOL_VERSIONS, type PgpoolVersion } from '../model/cluster.js';
import type { ClusterSpec } from '../model/spec.js';
import { findHaproxy, findPgpool, findPostgresBinaries, type PostgresBinaries, type ToolBinary } from '../process/binaries.js';
import { LocalSetupError } from '../process/errors.js';

/** The executables a cluster needs, found on this host. */
export interface Toolchain {
  postgres: PostgresBinaries;
  /** Present when the cluster has a Pgpool-II; `series` is its major.minor, e.g. '4.3'. */
  pgpool?: ToolBinary & { series: PgpoolVersion };
  haproxy?: ToolBinary;
}

export interface ToolchainOptions {
  /** `--pg-bin`: the only directory searched for PostgreSQL. */
  pgBin?: string;
  env?: NodeJS.ProcessEnv;
}

const DEBIAN_PG_ROOT = '/usr/lib/postgresql';

/** Majors under /usr/lib/postgresql/<major>/bin, the layout of Debian's packages. */
export function installedPostgresMajors(root = DEBIAN_PG_ROOT): number[] {
  try {
    return readdirSync(root)
      .filter((entry) => /^\d+$/.test(entry) && existsSync(join(root, entry, 'bin', 'postgres')))
      .map(Number)
      .sort((a, b) => a - b);
  } catch {
    return [];
  }
}

function findPostgres(spec: ClusterSpec, options: ToolchainOptions): PostgresBinaries {
  const major = spec.postgresVersion;
  try {
    return findPostgresBinaries(major, { pgBin: options.pgBin, env: options.env });
  } catch (error) {
    if (!(error instanceof LocalSetupError) || !['PG_NOT_FOUND', 'PG_WRONG_MAJOR'].includes(error.code)) throw error;
    const others = installedPostgresMajors().filter((m) => m !== major);
    const alternative = others.length
      ? `, or set postgresVersion: ${others.at(-1)} on the Cluster in cluster.config.ts to use the installed PostgreSQL ${others.join(', ')}`
      : '';
    throw new LocalSetupError(
      error.code,
      error.message,
      `Install PostgreSQL ${major}: \`apt-get install postgresql-${major}\` (Debian/Ubuntu; majors other than the distribution's ` +
        `come from apt.postgresql.org), or pass --pg-bin <dir> with PostgreSQL ${major}'s bin directory${alternative}.`,
    );
  }
}

/** "4.3.5" → "4.3" when pgsynth renders pgpool.conf for that series. */
export function pgpoolSeries(version: string): PgpoolVersion {
  const series = version.split('.').slice(0, 2).join('.');
  if (!(SUPPORTED_PGPOOL_VERSIONS as readonly string[]).includes(series)) {
    throw new LocalSetupError(
      'PGPOOL_UNSUPPORTED',
      `Pgpool-II ${version} is installed, but pgsynth writes pgpool.conf for Pgpool-II ${SUPPORTED_PGPOOL_VERSIONS.join(', ')} only.`,
      `Install one of those (Debian 12's pgpool2 package is 4.3), or remove the PgPool from cluster.config.ts to run without it.`,
    );
  }
  return series as PgpoolVersion;
}

/** Finds PostgreSQL of the cluster's major, and Pgpool-II and HAProxy when the cluster has them. */
export function findToolchain(spec: ClusterSpec, options: ToolchainOptions = {}): Toolchain {
  const toolchain: Toolchain = { postgres: findPostgres(spec, options) };
  if (spec.pgpools.length > 0) {
    const pgpool = findPgpool({ env: options.env });
    toolchain.pgpool = { ...pgpool, series: pgpoolSeries(pgpool.version) };
  }
  if (spec.haproxies.length > 0) toolchain.haproxy = findHaproxy({ env: options.env });
  return toolchain;
}
