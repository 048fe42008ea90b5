import { readFileSync } from 'node:fs';
import { parseCliArgs, UsageError, USAGE, type CliArgs } from './args.js';
import { ConfigLoadError, findConfig, loadCluster } from './load-config.js';
import { consoleOutput, printDiagnostics, red, type Output } from './output.js';
import { findCode } from '../codes.js';
import { isPgsynthError } from '../diagnostic.js';
import { packageFile } from '../package-root.js';

/** Runs the CLI and returns its exit code: 0 ok, 1 validation errors or drift, 2 usage or loading errors. */
export async function runCli(argv: string[], o: Output = consoleOutput()): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    o.err(`synth: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    o.out(USAGE);
    return 0;
  }
  if (args.version) {
    o.out(packageVersion());
    return 0;
  }
  try {
    return await dispatch(args, o);
  } catch (error) {
    if (isPgsynthError(error)) {
      printDiagnostics(o, error.diagnostics);
      return 1;
    }
    if (error instanceof UsageError) {
      o.err(`synth: ${error.message}`);
      return 2;
    }
    if (error instanceof ConfigLoadError || isUserFacing(error)) {
      o.err(`${red(o, 'error')} ${withCode(error as Error)}`);
      const fix = (error as { fix?: string }).fix;
      if (fix) o.err(`  fix: ${fix}`);
      return exitCodeOf(error);
    }
    throw error;
  }
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
  const cluster = await loadCluster(findConfig(args.config));
  switch (args.command) {
    case 'validate':
      return (await import('./commands/validate.js')).validate(o, cluster);
    case 'synth':
      return (await import('./commands/synth.js')).synth(o, cluster, { out: args.out, check: args.check, force: args.force });
    case 'up':
    case 'down':
    case 'status':
      return (await import('./commands/local.js')).runLocalCommand(args.command, o, cluster, args);
  }
  throw new UsageError(`unknown command '${args.command}'`);
}

/** Errors from the writer and the local runner carry a code and a fix: shown without a stack. */
function isUserFacing(error: unknown): boolean {
  return error instanceof Error && typeof (error as { fix?: unknown }).fix === 'string';
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

/** src/codes.ts gives each code its exit status (a refusal to write, like drift, is 1); anything else is 2. */
function exitCodeOf(error: unknown): number {
  return codeOf(error)?.exitCode ?? 2;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
