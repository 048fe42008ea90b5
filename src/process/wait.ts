/**
 * Polling with a deadline. A timeout says what was awaited, the last error
 * seen, and the end of the log that most likely explains it.
 */
import { connect } from 'node:net';
import { LocalRunError } from './errors.js';
import { tailFile } from './log-tail.js';

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Completes "Timed out waiting for …", e.g. "primary to accept connections". */
  what: string;
  /** Log whose tail goes into the error. */
  logFile?: string;
  logLines?: number;
  /** Checked each round; a returned reason ends the wait at once (e.g. "the server exited"). */
  abortIf?: () => string | undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function failure(code: string, message: string, lastError: string, opts: WaitOptions): LocalRunError {
  const detail = lastError ? `${message} Last error: ${lastError}` : message;
  const tail = opts.logFile ? tailFile(opts.logFile, opts.logLines ?? 20) : '';
  const fix = opts.logFile ? `Read the full log: ${opts.logFile}` : 'Read the output above.';
  return new LocalRunError(code, opts.logFile ? `${detail} (log: ${opts.logFile})` : detail, { logTail: tail, fix });
}

/**
 * Calls `predicate` until it returns a truthy value, which is returned.
 * A throwing predicate counts as "not yet"; its message is kept for the error.
 */
export async function waitFor<T>(predicate: () => T | Promise<T>, opts: WaitOptions): Promise<NonNullable<T>> {
  const started = performance.now();
  let lastError = '';
  for (;;) {
    const aborted = opts.abortIf?.();
    if (aborted) throw failure('WAIT_ABORTED', `Gave up waiting for ${opts.what}: ${aborted}.`, lastError, opts);
    try {
      const value = await predicate();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    const elapsed = performance.now() - started;
    if (elapsed >= opts.timeoutMs) {
      throw failure('WAIT_TIMEOUT', `Timed out after ${opts.timeoutMs} ms waiting for ${opts.what}.`, lastError, opts);
    }
    await sleep(Math.min(opts.intervalMs ?? 50, opts.timeoutMs - elapsed));
  }
}

/** One TCP connect attempt; true when something accepts on host:port. */
export function canConnect(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Waits until host:port accepts TCP connections. */
export async function waitForPort(
  host: string,
  port: number,
  timeoutMs: number,
  opts: Partial<Omit<WaitOptions, 'timeoutMs'>> = {},
): Promise<void> {
  await waitFor(() => canConnect(host, port), { what: `${host}:${port} to accept connections`, ...opts, timeoutMs });
}
