/**
 * Long-running servers (postgres, pgpool, haproxy) started detached in their
 * own process group, output to a log file, pid recorded in a pid file we own,
 * so a later `synth down` in another process can stop them.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { LocalRunError } from './errors.js';
import { isZombieOrDead, livingGroupMembers, readProcStat } from './proc-stat.js';
import { spawnIdentity, toolEnv, type RunAs } from './run-as.js';
import { waitForPort } from './wait.js';

export interface ServerProcess {
  name: string;
  pid: number;
  /** /proc start time: guards against a reused pid. */
  startTime?: number;
  pidFile: string;
  logFile: string;
}

export interface StartServerOptions {
  /** Shown in errors, e.g. "primary" or "pgpool". */
  name: string;
  bin: string;
  args: readonly string[];
  logFile: string;
  /** Default: logFile with .pid instead of .log. */
  pidFile?: string;
  runAs?: RunAs;
  /** Must be readable by the run-as user; "/" by default. */
  cwd?: string;
  env?: Record<string, string>;
}

export interface PidRecord {
  pid: number;
  startTime?: number;
}

/** Our pid file: the pid on line 1, the /proc start time on line 2. */
export function readPidFile(file: string): PidRecord | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const [pidLine, startLine] = text.split('\n');
  const pid = Number(pidLine?.trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const startTime = Number(startLine?.trim());
  return Number.isInteger(startTime) && startLine?.trim() ? { pid, startTime } : { pid };
}

/**
 * True while the process runs. A zombie counts as stopped; with `startTime`,
 * a different process that reused the pid counts as stopped too.
 */
export function isAlive(pid: number, startTime?: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = readProcStat(pid);
  if (!stat) return !existsProcFs(); // No /proc at all: trust kill -0.
  if (isZombieOrDead(stat)) return false;
  return startTime === undefined || stat.startTime === startTime;
}

function existsProcFs(): boolean {
  return readProcStat(process.pid) !== undefined;
}

/** Default pid file next to a server's log: "x.log" gives "x.pid". */
export function defaultPidFile(logFile: string): string {
  return logFile.replace(/\.log$/, '') + '.pid';
}

/** Spawns a server detached; resolves once it was exec'ed, not once it is ready. */
export function startServer(opts: StartServerOptions): Promise<ServerProcess> {
  const pidFile = opts.pidFile ?? defaultPidFile(opts.logFile);
  const logFd = openSync(opts.logFile, 'a', 0o640);
  writeSync(logFd, `--- ${new Date().toISOString()} pgsynth starts ${opts.name}: ${opts.bin} ${opts.args.join(' ')}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(opts.bin, opts.args, {
      cwd: opts.cwd ?? '/',
      env: toolEnv(opts.runAs, opts.env),
      detached: true,
      stdio: ['ignore', logFd, logFd],
      ...spawnIdentity(opts.runAs),
    });
    child.once('error', (error) => {
      closeSync(logFd);
      const message = `Could not start ${opts.name} (${opts.bin}): ${error.message}`;
      const fix = 'Check that the executable exists and that the run-as user may execute it and read its directory.';
      reject(new LocalRunError('SERVER_SPAWN_FAILED', message, { fix }));
    });
    child.once('spawn', () => {
      closeSync(logFd);
      child.unref();
      const pid = child.pid!;
      const startTime = readProcStat(pid)?.startTime;
      writeFileSync(pidFile, startTime === undefined ? `${pid}\n` : `${pid}\n${startTime}\n`);
      resolve({ name: opts.name, pid, startTime, pidFile, logFile: opts.logFile });
    });
  });
}

/** How a server that serves on a TCP port is started, and where it counts as ready. */
export interface ListeningServerOptions {
  logFile: string;
  /** Our pid file; default: logFile with .pid instead of .log. */
  pidFile?: string;
  runAs?: RunAs;
  /** Wait until host:port accepts (each server has its default); 0 skips. */
  readyTimeoutMs?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** A port its config binds (the caller knows it from the spec): readiness is checked there. */
  port: number;
}

/** Starts a server and waits until it accepts on its port; its exit ends the wait at once, with its log's tail. */
export async function startListeningServer(
  command: Pick<StartServerOptions, 'name' | 'bin' | 'args' | 'env'>,
  opts: ListeningServerOptions,
  defaultTimeoutMs: number,
): Promise<ServerProcess> {
  const server = await startServer({ ...command, logFile: opts.logFile, pidFile: opts.pidFile, runAs: opts.runAs });
  const timeoutMs = opts.readyTimeoutMs ?? defaultTimeoutMs;
  const host = opts.host ?? '127.0.0.1';
  if (timeoutMs > 0) {
    await waitForPort(host, opts.port, timeoutMs, {
      what: `${server.name} to listen on ${host}:${opts.port}`,
      logFile: server.logFile,
      abortIf: () => (isAlive(server.pid, server.startTime) ? undefined : `${server.name} exited`),
    });
  }
  return server;
}

export interface StopOptions {
  /** First signal to the leader. postgres: SIGINT (fast shutdown); pgpool: SIGINT; haproxy: SIGTERM. */
  signal?: NodeJS.Signals;
  /** How long the first signal gets before SIGKILL goes to the whole group. */
  timeoutMs?: number;
  /** Also wait for (and SIGKILL) the leader's process group: its workers. Default true. */
  group?: boolean;
  startTime?: number;
}

export interface StopResult {
  /** False when nothing was running. */
  wasRunning: boolean;
  /** True when SIGKILL was needed. */
  killed: boolean;
  durationMs: number;
}

function sendSignal(target: number, signal: NodeJS.Signals): void {
  try {
    process.kill(target, signal);
  } catch {
    // Already gone (ESRCH): that is what we want.
  }
}

function isRunning(pid: number, opts: StopOptions): boolean {
  const stat = readProcStat(pid);
  // The pid now names another process, so ours and its group are gone.
  if (stat && opts.startTime !== undefined && stat.startTime !== opts.startTime) return false;
  if (isAlive(pid, opts.startTime)) return true;
  return (opts.group ?? true) && livingGroupMembers(pid).length > 0;
}

async function waitGone(pid: number, opts: StopOptions, timeoutMs: number, signal?: NodeJS.Signals): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  let forwarded = false;
  while (isRunning(pid, opts)) {
    if (performance.now() > deadline) return false;
    // Workers outliving their leader have no one left to stop them: pass the signal on once.
    if (signal && !forwarded && !isAlive(pid, opts.startTime)) {
      sendSignal(-pid, signal);
      forwarded = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

/** Signals a server, escalates to SIGKILL after `timeoutMs`, and returns once it is really gone. */
export async function stopProcess(pid: number, opts: StopOptions = {}): Promise<StopResult> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  if (!isRunning(pid, opts)) return { wasRunning: false, killed: false, durationMs: elapsed() };

  // A dead leader with workers left: signal the workers directly.
  const signal = opts.signal ?? 'SIGTERM';
  sendSignal(isAlive(pid, opts.startTime) ? pid : -pid, signal);
  const forward = (opts.group ?? true) ? signal : undefined;
  if (await waitGone(pid, opts, opts.timeoutMs ?? 10_000, forward)) {
    return { wasRunning: true, killed: false, durationMs: elapsed() };
  }

  // Started detached, the leader's pid is its group id: -pid reaches its workers too.
  if (opts.group ?? true) sendSignal(-pid, 'SIGKILL');
  if (isAlive(pid, opts.startTime)) sendSignal(pid, 'SIGKILL');
  if (await waitGone(pid, opts, 5_000)) return { wasRunning: true, killed: true, durationMs: elapsed() };
  throw new LocalRunError('STOP_FAILED', `Process ${pid} is still running after SIGKILL.`, {
    fix: `Look at it with \`ps -o pid,stat,wchan,comm -g ${pid}\`: a process in state D waits on the kernel (disk, NFS).`,
  });
}

/** Stops a server we started and removes its pid file. */
export async function stopServer(server: ServerProcess, opts: Omit<StopOptions, 'startTime'> = {}): Promise<StopResult> {
  const result = await stopProcess(server.pid, { ...opts, startTime: server.startTime });
  rmSync(server.pidFile, { force: true });
  return result;
}
