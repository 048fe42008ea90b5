import { INTERNAL_ERROR_CODE } from '../internal-error.js';

// The one exit-code taxonomy of every synth command. Commands return these, errors map onto them
// in exitCodeOf, the --help text and the README table are written from EXIT_CODES (a test keeps
// the README in step). A new command (promote, backup, …) returns ExitCode.* and throws errors
// that carry `exitCode` or one of the codes below; it never invents a number.

export const ExitCode = {
  /** Done; for status, every service runs. */
  ok: 0,
  /** The config or the files on disk are refused: validation errors, drift under --check, a writer refusal (PGS900–PGS903), a folder down --purge will not delete. */
  refused: 1,
  /** The command line is wrong, or the config cannot be found or loaded. */
  usage: 2,
  /** The cluster failed at runtime: a missing binary or a port in use, a process that will not start, a timeout; for status, a service is not running. */
  runtime: 3,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** What each code means, in the user's words (--help and the README's table). */
export const EXIT_CODES: readonly { code: ExitCode; meaning: string }[] = [
  { code: ExitCode.ok, meaning: 'success (status: every service runs)' },
  { code: ExitCode.refused, meaning: 'the config or the files on disk are refused (validation errors, drift under --check, PGS900-PGS903)' },
  { code: ExitCode.usage, meaning: 'a wrong command line, or a config that cannot be found or loaded' },
  { code: ExitCode.runtime, meaning: 'the cluster failed at runtime (binary missing, port in use, a process that will not start, a timeout; status: a service is down)' },
]

/** Local-runtime error codes that refuse files on disk rather than fail at runtime. */
const REFUSALS = new Set(['NOT_A_LOCAL_CLUSTER']);

/** Error classes of the local runtime (src/process/errors.ts), matched by name to keep them off the synth path. */
const RUNTIME_ERRORS = new Set(['LocalSetupError', 'LocalRunError']);

/** The exit code of a user-facing error (one that carries a message and a fix). */
export function exitCodeOf(error: unknown): ExitCode {
  const { exitCode, code, name } = error as { exitCode?: unknown; code?: unknown; name?: unknown };
  if (typeof exitCode === 'number' && (Object.values(ExitCode) as number[]).includes(exitCode)) return exitCode as ExitCode;
  // A pgsynth bug is not the config's fault, and an unusable --out is a usage error.
  if (code === INTERNAL_ERROR_CODE || code === 'PGS905') return ExitCode.usage;
  if (typeof code === 'string' && (/^PGS9\d\d$/.test(code) || REFUSALS.has(code))) return ExitCode.refused;
  if (typeof name === 'string' && RUNTIME_ERRORS.has(name)) return ExitCode.runtime;
  return ExitCode.usage;
}

/** The last lines of --help. */
export function exitCodesHelp(): string {
  return `Exit codes:\n${EXIT_CODES.map(({ code, meaning }) => `  ${code}  ${meaning}`).join('\n')}`;
}
