import { parseArgs } from 'node:util';
import { exitCodesHelp } from './exit-codes.js';

export const COMMANDS = ['synth', 'validate', 'init', 'explain', 'up', 'down', 'status', 'stop', 'promote', 'switchover', 'rejoin', 'backup', 'backups', 'restore', 'check-backups'] as const;
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
  /** `rejoin --reclone`: move the data directory aside and clone the primary again. */
  reclone: boolean;
  /** backup: full, diff or incr. */
  type: string | undefined;
  /** `switchover --to NODE`; restore: latest, a backup label or a time. */
  to: string | undefined;
  /** restore: the directory to restore into. */
  into: string | undefined;
  help: boolean;
  version: boolean;
}

/** Thrown for a malformed command line: ExitCode.usage and the usage text. */
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
        reclone: { type: 'boolean' },
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
    reclone: v.reclone ?? false,
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
  stop SERVICE      stop one service of the local cluster cleanly (synth up starts it again)
  promote NODE      make a standby of the local cluster the primary (the old one is stopped first)
  switchover --to NODE  planned change of primary: no acknowledged write lost, the old one follows
  rejoin NODE       bring a node back as a standby of the primary (pg_rewind; --reclone copies it anew)
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
      --to TARGET    with switchover: the node to promote; with restore: latest, a backup label, or a time with its zone
      --reclone      with rejoin: move the data directory aside and clone the primary again
      --into DIR     with restore: the new data directory (--force to replace a stopped node's)
  -h, --help         show this help
  -v, --version      show the version

${exitCodesHelp()}`;
