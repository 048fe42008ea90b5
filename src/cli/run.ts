import { readFileSync } from 'node:fs';
import { parseCliArgs, UsageError, USAGE, type CliArgs } from './args.js';
import { ConfigLoadError, findConfig, loadCluster, withoutExit } from './load-config.js';
import { exitCodeOf, ExitCode } from './exit-codes.js';
import { consoleOutput, printDiagnostics, red, type Output } from './output.js';
import { findCode } from '../codes.js';
import { isPgsynthError, printable } from '../diagnostic.js';
import { PgsynthInternalError } from '../internal-error.js';
import { packageFile } from '../package-root.js';

/** Runs the CLI and returns its exit code (the taxonomy in exit-codes.ts). */
export async function runCli(argv: string[], o: Output = consoleOutput()): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    o.err(`synth: ${error.message}\n\n${USAGE}`);
    return ExitCode.usage;
  }
  if (args.help) {
    o.out(USAGE);
    return ExitCode.ok;
  }
  if (args.version) {
    o.out(packageVersion());
    return ExitCode.ok;
  }
  try {
    return await dispatch(args, o);
  } catch (error) {
    if (isPgsynthError(error)) {
      printDiagnostics(o, error.diagnostics);
      return ExitCode.refused;
    }
    if (error instanceof UsageError) {
      o.err(`synth: ${error.message}`);
      return ExitCode.usage;
    }
    if (error instanceof ConfigLoadError || isUserFacing(error)) {
      o.err(`${red(o, 'error')} ${printable(withCode(error as Error), true)}`);
      const fix = (error as { fix?: string }).fix;
      if (fix) o.err(`  fix: ${printable(fix, true)}`);
      if (PgsynthInternalError.isInternalError(error)) printStackWhenAsked(o, error);
      return exitCodeOf(error);
    }
    // Nothing pgsynth throws on purpose gets here: an invariant failed. Named as a bug, not a stack trace.
    const internal = new PgsynthInternalError('running the command', error);
    o.err(`${red(o, 'error')} ${printable(internal.message, true)}`);
    o.err(`  fix: ${internal.fix}`);
    printStackWhenAsked(o, internal);
    return ExitCode.usage;
  }
}

function printStackWhenAsked(o: Output, error: PgsynthInternalError): void {
  const cause = error.cause;
  if (process.env.PGSYNTH_DEBUG && cause instanceof Error && cause.stack) o.err(cause.stack);
}

async function dispatch(args: CliArgs, o: Output): Promise<number> {
  switch (args.command) {
    case 'explain':
      return (await import('./commands/explain.js')).explain(o, args.positionals[0]);
    case 'init':
      return (await import('./commands/init.js')).init(o);
    default:
      break;
  }
  const file = findConfig(args.config);
  // From the config's first line to the command's last: its timers run in between.
  return withoutExit(file, async () => {
    const cluster = await loadCluster(file);
    switch (args.command) {
      case 'validate':
        return (await import('./commands/validate.js')).validate(o, cluster);
      case 'synth':
        return (await import('./commands/synth.js')).synth(o, cluster, { out: args.out, check: args.check, force: args.force });
      case 'up':
      case 'down':
      case 'status':
        return runtimeCommand(o, async () => (await import('./commands/local.js')).runLocalCommand(args.command as 'up' | 'down' | 'status', o, cluster, args));
      case 'stop':
      case 'promote':
      case 'switchover':
      case 'rejoin':
        return runtimeCommand(o, async () =>
          (await import('./commands/failover.js')).runFailoverCommand(args.command as 'stop' | 'promote' | 'switchover' | 'rejoin', o, cluster, args),
        );
      case 'backup':
      case 'backups':
      case 'restore':
      case 'check-backups':
        return runtimeCommand(o, async () =>
          (await import('./commands/backup.js')).runBackupCommand(args.command as 'backup' | 'backups' | 'restore' | 'check-backups', o, cluster, args),
        );
    }
    throw new UsageError(`unknown command '${args.command}'`);
  });
}

/** Errors from the writer and the local runner carry a code and a fix: shown without a stack. */
function isUserFacing(error: unknown): boolean {
  return error instanceof Error && typeof (error as { fix?: unknown }).fix === 'string';
}

/**
 * Runs a command that drives the cluster's processes. An error without a fix escaping it (a
 * connection reset, a process gone mid-query) is still the cluster failing at runtime: exit 3
 * with the stack, not the usage code.
 */
export async function runtimeCommand(o: Output, command: () => Promise<number>): Promise<number> {
  try {
    return await command();
  } catch (error) {
    if (isPgsynthError(error) || error instanceof UsageError || error instanceof ConfigLoadError || isUserFacing(error)) throw error;
    o.err(`${red(o, 'error')} ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return ExitCode.runtime;
  }
}

/** The documented PGS code of an error (the local runtime's still carry a symbolic one), if any. */
function codeOf(error: unknown) {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? findCode(code) : undefined;
}

/** "PGS930: message", once: the writer's messages already start with their code. */
function withCode(error: Error): string {
  const doc = codeOf(error);
  return doc && !error.message.startsWith(`${doc.code}:`) ? `${doc.code}: ${error.message}` : error.message;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
