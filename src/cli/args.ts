import { parseArgs } from 'node:util';

export const COMMANDS = ['synth', 'validate', 'init', 'explain', 'up', 'down', 'status', 'backup', 'backups', 'restore', 'check-backups'] as const;
export type CommandName = (typeof COMMANDS)[number];

export interface CliArgs {
  command: CommandName;
  positionals: string[];
  config: string | undefined;
  out: string;
  check: boolean;
  force: boolean;
  purge: boolean;
  pgBin: string | undefined;
  /** backup: full, diff or incr. */
  type: string | undefined;
  /** restore: latest, a backup label or a time. */
  to: string | undefined;
  /** restore: the directory to restore into. */
  into: string | undefined;
  help: boolean;
  version: boolean;
}

/** Thrown for a malformed command line: exit code 2 and the usage text. */
export class UsageError extends Error {}

export function parseCliArgs(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string', short: 'c' },
        out: { type: 'string', short: 'o' },
        check: { type: 'boolean' },
        force: { type: 'boolean' },
        purge: { type: 'boolean' },
        'pg-bin': { type: 'string' },
        type: { type: 'string' },
        to: { type: 'string' },
        into: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [first, ...rest] = parsed.positionals;
  const command = first === undefined ? 'synth' : first;
  if (!(COMMANDS as readonly string[]).includes(command)) {
    throw new UsageError(`unknown command '${command}'`);
  }
  const v = parsed.values;
  return {
    command: command as CommandName,
    positionals: rest,
    config: v.config,
    out: v.out ?? 'cluster',
    check: v.check ?? false,
    force: v.force ?? false,
    purge: v.purge ?? false,
    pgBin: v['pg-bin'],
    type: v.type,
    to: v.to,
    into: v.into,
    help: v.help ?? false,
    version: v.version ?? false,
  };
}

export const USAGE = `Usage: synth [command] [options]

Commands:
  synth (default)   validate cluster.config.ts and write the cluster's files
  validate          print diagnostics only
  init              write a commented starter cluster.config.ts and a "synth" npm script
  explain CODE      show the documentation of a rule, e.g. synth explain PGS012
  up                start the cluster locally with the real binaries (no Docker)
  down              stop the local cluster (keeps data unless --purge)
  status            show each local service, its PID, port, role and replication lag
  backup            take a backup of the local cluster's current primary (--type full|diff|incr)
  backups           list the backups, their sizes and the window a restore can reach
  restore           restore --to <time|label|latest> --into DIR (a new directory)
  check-backups     check archiving, the repository's checksums and WAL continuity

Options:
  -c, --config FILE  config file (default: cluster.config.ts, .mts, .js or .mjs in this directory)
  -o, --out DIR      output directory (default: cluster)
      --check        write nothing; exit 1 with a diff when the files on disk differ
      --force        overwrite or delete generated files that were edited by hand
      --purge        with down: delete the local cluster's data too
      --pg-bin DIR   with up: directory of the PostgreSQL binaries
      --type TYPE    with backup: full (default), diff or incr
      --to TARGET    with restore: latest, a backup label, or a time with its zone
      --into DIR     with restore: the new data directory (--force to replace a stopped node's)
  -h, --help         show this help
  -v, --version      show the version

Exit codes: 0 ok, 1 validation errors or drift, 2 usage or loading errors.`;
