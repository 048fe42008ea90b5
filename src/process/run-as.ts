/**
 * Runs PostgreSQL and Pgpool tools as the right OS user: initdb and postgres
 * refuse root, so as root we switch to `postgres`; otherwise we stay ourselves.
 */
import { spawn } from 'node:child_process';
import { lchownSync, readFileSync, readdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, join } from 'node:path';
import { LocalRunError, LocalSetupError } from './errors.js';

export interface RunAs {
  user: string;
  uid: number;
  gid: number;
  home: string;
  /** True when processes must be spawned with uid/gid (we are root). */
  switched: boolean;
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Parses one /etc/passwd text and returns the entry of `user`. */
export function passwdEntry(passwd: string, user: string): { uid: number; gid: number; home: string } | undefined {
  for (const line of passwd.split('\n')) {
    const [name, , uid, gid, , home] = line.split(':');
    if (name === user && uid && gid) return { uid: Number(uid), gid: Number(gid), home: home ?? '/' };
  }
  return undefined;
}

/** Who runs the servers: `user` (default postgres) as root, else the current user. */
export function resolveRunAs(user = 'postgres', passwdFile = '/etc/passwd'): RunAs {
  if (!isRoot()) {
    const me = userInfo();
    return { user: me.username, uid: me.uid, gid: me.gid, home: me.homedir, switched: false };
  }
  let passwd = '';
  try {
    passwd = readFileSync(passwdFile, 'utf8');
  } catch {
    // Falls through to the error below.
  }
  const entry = passwdEntry(passwd, user);
  if (!entry) {
    throw new LocalSetupError(
      'NO_OS_USER',
      `Running as root, but there is no OS user "${user}" to run PostgreSQL and Pgpool-II as (they refuse root).`,
      `Install PostgreSQL with \`apt-get install postgresql\` (it creates the user), ` +
        `or \`useradd --system --home-dir /var/lib/postgresql ${user}\`.`,
    );
  }
  return { user, ...entry, switched: entry.uid !== 0 };
}

/** uid/gid for child_process.spawn; libuv also drops root's supplementary groups. */
export function spawnIdentity(runAs: RunAs | undefined): { uid?: number; gid?: number } {
  return runAs?.switched ? { uid: runAs.uid, gid: runAs.gid } : {};
}

/**
 * The environment a tool sees. PG* variables of the caller are dropped so a
 * stray PGHOST or PGOPTIONS cannot redirect or alter what we run; HOME points
 * at the run-as user's home so libpq does not trip over /root.
 */
export function toolEnv(runAs: RunAs | undefined, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('PG')) env[key] = value;
  }
  if (runAs?.switched) {
    env.HOME = runAs.home;
    env.USER = runAs.user;
    env.LOGNAME = runAs.user;
  }
  return { ...env, ...extra };
}

/** chown -R without following symlinks. A no-op unless root (files are already ours). */
export function chownTree(dir: string, uid: number, gid: number): void {
  if (!isRoot()) return;
  lchownSync(dir, uid, gid);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) chownTree(path, uid, gid);
    else lchownSync(path, uid, gid);
  }
}

export interface RunToolOptions {
  runAs?: RunAs;
  /** Must be readable by the run-as user; "/" by default. */
  cwd?: string;
  /** Added to the cleaned environment (see toolEnv). */
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface ToolResult {
  stdout: string;
  stderr: string;
  durationMs: number;
}

/** Runs a short-lived tool to completion; a non-zero exit throws with its output. */
export function runTool(bin: string, args: readonly string[], opts: RunToolOptions = {}): Promise<ToolResult> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      cwd: opts.cwd ?? '/',
      env: toolEnv(opts.runAs, opts.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      ...spawnIdentity(opts.runAs),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      const fix = 'Check that the executable exists and that the run-as user may execute it and read its directory.';
      reject(new LocalRunError('TOOL_SPAWN_FAILED', `Could not run ${bin}: ${error.message}`, { fix }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const durationMs = performance.now() - started;
      if (code === 0) return resolve({ stdout, stderr, durationMs });
      const how = timedOut
        ? `was stopped after its ${timeoutMs} ms time limit`
        : signal
          ? `was killed by ${signal}`
          : `exited with code ${code}`;
      const output = `${stderr}${stdout}`.trim().split('\n').slice(-20).join('\n');
      const fix = `Read ${basename(bin)}'s output above; it names the file, role or connection that failed.`;
      reject(new LocalRunError('TOOL_FAILED', `${basename(bin)} ${how}`, { logTail: output, fix }));
    });
  });
}
