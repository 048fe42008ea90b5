// Real PostgreSQL binaries for tests: offline config checks (`postgres -C`, which runs as root)
// and throwaway servers run as the OS user `postgres` (the server refuses root).
import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const isRoot = process.getuid?.() === 0;

/** uid/gid of the OS user `postgres`, or undefined when it does not exist. */
function postgresIds(): { uid: number; gid: number } | undefined {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  return uid && gid ? { uid: Number(uid), gid: Number(gid) } : undefined;
}

/** Servers can run here: not root, or root with a `postgres` user to switch to. */
const canRunServers = !isRoot || postgresIds() !== undefined;

/** Throws, naming the fix, when the servers cannot run here (root without a `postgres` user). */
export function requireServerUser(): void {
  if (!canRunServers) {
    throw new Error('PostgreSQL refuses to run as root and there is no OS user `postgres`: run as another user, or install the Debian package postgresql, which creates it');
  }
}

/** Spawn options that run a child as `postgres` when we are root. */
export function asPostgres(): Pick<SpawnOptions, 'uid' | 'gid'> {
  return isRoot ? postgresIds()! : {};
}

/** Hands a path to `postgres` (a no-op unless root). */
export function giveToPostgres(path: string): void {
  if (!isRoot) return;
  const { uid, gid } = postgresIds()!;
  chownSync(path, uid, gid);
}

/** A temporary directory `postgres` can traverse; removed by the returned cleanup. */
export function tempRoot(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `pgsynth-${prefix}-`));
  chmodSync(dir, 0o755);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeFile(path: string, content: string, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  writeFileSync(path, content, { mode });
  chmodSync(path, mode);
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to completion (as postgres when `postgres` is true), from `/` so it never lacks a readable cwd. */
export function run(bin: string, args: string[], options: { env?: NodeJS.ProcessEnv; postgres?: boolean; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(bin, args, {
      cwd: '/',
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.postgres ? asPostgres() : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolvePromise({ status, stdout, stderr });
    });
  });
}

/**
 * `postgres -C <param> -D <dir>` over a directory holding only postgresql.conf, an empty
 * postgresql.auto.conf and `extraFiles`: the server's own parser checks names, enums, ranges and
 * units. `conf` may be a function of the directory, to point paths (hba_file) into it.
 */
export function checkConfig(
  binDir: string,
  conf: string | ((dir: string) => string),
  options: { param?: string; extraFiles?: Record<string, string> } = {},
): RunResult {
  const { dir, cleanup } = tempRoot('conf');
  try {
    writeFile(join(dir, 'postgresql.conf'), typeof conf === 'string' ? conf : conf(dir));
    writeFile(join(dir, 'postgresql.auto.conf'), '');
    for (const [name, content] of Object.entries(options.extraFiles ?? {})) writeFile(join(dir, name), content);
    const result = spawnSync(join(binDir, 'postgres'), ['-C', options.param ?? 'wal_level', '-D', dir], { encoding: 'utf8', cwd: '/' });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    cleanup();
  }
}

/** initdb as postgres: local trust for the superuser, the way the docker-library image leaves it. */
export async function initdb(binDir: string, dataDir: string, superuser: string): Promise<void> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  giveToPostgres(dataDir);
  const result = await run(
    join(binDir, 'initdb'),
    ['-D', dataDir, '-U', superuser, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync'],
    { postgres: true },
  );
  if (result.status !== 0) throw new Error(`initdb failed: ${result.stderr}${result.stdout}`);
}

export interface RunningServer {
  pid: number;
  dataDir: string;
  logFile: string;
  exited: Promise<number | null>;
  log(): string;
}

/** Line 8 of postmaster.pid once the postmaster with `pid` accepts connections: `ready` or `standby`. */
function postmasterStatus(dataDir: string, pid: number): string | undefined {
  try {
    const lines = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
    return Number(lines[0]) === pid ? lines[7]?.trim() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts a long-running process that is, or execs into, the postmaster of `dataDir` (postgres
 * itself, or a script ending in `exec postgres`), its output in `logFile`, and waits until it
 * accepts connections.
 */
export async function startServer(
  bin: string,
  args: string[],
  options: { dataDir: string; logFile: string; env?: NodeJS.ProcessEnv; postgres?: boolean; timeoutMs?: number },
): Promise<RunningServer> {
  const fd = openSync(options.logFile, 'a');
  const child = spawn(bin, args, {
    cwd: '/',
    env: options.env ?? process.env,
    stdio: ['ignore', fd, fd],
    ...(options.postgres === false ? {} : asPostgres()),
  });
  closeSync(fd);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  let done = false;
  void exited.then(() => (done = true));
  const server: RunningServer = { pid: child.pid!, dataDir: options.dataDir, logFile: options.logFile, exited, log: () => readFileSync(options.logFile, 'utf8') };
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    const status = postmasterStatus(options.dataDir, server.pid);
    if (status === 'ready' || status === 'standby') return server;
    if (done) throw new Error(`${bin} exited before accepting connections:\n${server.log()}`);
    if (Date.now() > deadline) {
      child.kill('SIGQUIT');
      throw new Error(`${bin} did not accept connections in time:\n${server.log()}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Fast shutdown (SIGINT) and wait for the exit. */
export async function stopServer(server: RunningServer): Promise<void> {
  try {
    process.kill(server.pid, 'SIGINT');
  } catch {
    return;
  }
  await server.exited;
}
