import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PgpoolSpec } from '../model/spec.js';
import { isAttachedStatus, waitForPoolNodes } from '../process/pgpool.js';
import { isAlive, startServer } from '../process/processes.js';
import { runTool } from '../process/run-as.js';
import type { PgConn } from '../process/sql.js';
import { waitFor, waitForPort } from '../process/wait.js';
import { pgpoolEntrypointVariables } from '../render/pgpool/index.js';
import { pgpoolFiles } from './config-files.js';
import type { LocalRuntime } from './runtime.js';
import { appRoleFor } from './urls.js';

// Pgpool-II under `synth up`: the rendered entrypoint.sh, the compose target's script, runs as
// the Pgpool process (it writes pool_passwd and pcp.conf, then execs `pgpool -n -D`, so the pid
// recorded is Pgpool's); a backend it detached while running is attached again with
// pcp_attach_node once the node is back.

/** Pgpool's check role over TCP: pool_hba.conf and pool_passwd admit it, pg_hba.conf lets it into `postgres`. */
export function pgpoolConn(ctx: LocalRuntime, pool: PgpoolSpec): PgConn {
  // As a client would: pool_hba.conf admits the application role, not Pgpool's own check role.
  const { owner, database } = appRoleFor(ctx.spec);
  return {
    host: '127.0.0.1',
    port: pool.port.listenPort,
    user: owner.name,
    password: ctx.password(owner.passwordEnv),
    database,
    connectTimeoutMs: 2_000,
  };
}

/** Pgpool refuses to start over a pid file whose process lives; one left by a killed Pgpool is stale. */
function removeStalePidFile(pidFile: string): void {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    return;
  }
  if (!isAlive(pid)) rmSync(pidFile, { force: true });
}

/**
 * The entrypoint's inputs: the passwords it reads (a `VAR_FILE` of the caller's environment
 * cleared, so the values are the ones synth up holds) and the toolchain's pgpool first on PATH.
 */
export function pgpoolEntrypointEnv(ctx: LocalRuntime, pool: PgpoolSpec): Record<string, string> {
  const env: Record<string, string> = { PATH: `${ctx.toolchain.pgpool!.binDir}:${process.env.PATH ?? '/usr/bin:/bin'}` };
  for (const variable of pgpoolEntrypointVariables(ctx.spec, pool)) {
    env[variable] = ctx.password(variable);
    env[`${variable}_FILE`] = '';
  }
  return env;
}

async function start(ctx: LocalRuntime, pool: PgpoolSpec): Promise<void> {
  removeStalePidFile(pool.paths.pidFile);
  const server = await startServer({
    name: pool.id,
    bin: 'bash',
    args: [pgpoolFiles(pool.paths.configDir).entrypoint],
    env: pgpoolEntrypointEnv(ctx, pool),
    logFile: pool.paths.logFile,
    pidFile: ctx.layout.pidFile(pool.id),
    runAs: ctx.runAs,
  });
  await waitForPort('127.0.0.1', pool.port.listenPort, 30_000, {
    what: `${pool.id} to listen on 127.0.0.1:${pool.port.listenPort}`,
    logFile: pool.paths.logFile,
    abortIf: () => (isAlive(server.pid, server.startTime) ? undefined : `${pool.id} exited`),
  });
  ctx.recordStarted(pool.id, 'pgpool', server, [pool.port.listenPort, pool.pcp.port]);
}

/** The PCP tools' connection: as the invoking user, with the PCP password from a 0600 file. */
function pcpArgs(ctx: LocalRuntime, pool: PgpoolSpec): { args: string[]; env: Record<string, string> } {
  return {
    args: ['-h', '127.0.0.1', '-p', String(pool.pcp.port), '-U', pool.pcp.user.name, '-w'],
    env: { PCPPASSFILE: pgpoolFiles(pool.paths.configDir).pcpPass },
  };
}

/**
 * pcp_attach_node or pcp_detach_node for one backend, then waits until Pgpool-II has acted: PCP
 * only queues the request for Pgpool's main process, which may be busy with an earlier one. A
 * node stopped and started again before its detach took effect would otherwise look attached,
 * be skipped, and then stay detached.
 */
async function setPoolNode(ctx: LocalRuntime, pool: PgpoolSpec, change: 'attach' | 'detach', nodeIndex: number): Promise<void> {
  const { args, env } = pcpArgs(ctx, pool);
  await runTool(join(ctx.toolchain.pgpool!.binDir, `pcp_${change}_node`), [...args, '-n', String(nodeIndex)], { env, timeoutMs: 15_000 });
  const done = change === 'attach' ? isAttachedStatus : (status: string | undefined) => status === 'down';
  await waitFor(async () => done((await pcpNodeStatuses(ctx, pool))[nodeIndex]), {
    what: `${pool.id} to ${change} node ${nodeIndex} (pcp_${change}_node)`,
    timeoutMs: 15_000,
    intervalMs: 100,
    logFile: pool.paths.logFile,
  });
}

/**
 * Each backend's status name ('up', 'waiting', 'down', …) by node index, asked over PCP: unlike
 * SHOW pool_nodes it needs no session through Pgpool, which fails while a backend is down.
 */
async function pcpNodeStatuses(ctx: LocalRuntime, pool: PgpoolSpec): Promise<string[]> {
  const { args, env } = pcpArgs(ctx, pool);
  const { stdout } = await runTool(join(ctx.toolchain.pgpool!.binDir, 'pcp_node_info'), args, { env, timeoutMs: 15_000 });
  // "host port status weight status_name backend_status_name role …", one line per node.
  return stdout.split('\n').filter((line) => line.trim()).map((line) => line.trim().split(/\s+/)[4] ?? '');
}

/**
 * Detaches a node in every running Pgpool-II that has it up: before a planned stop, so no new
 * session is sent to a server that is shutting down; after a manual promotion, so Pgpool looks
 * for the new primary at once.
 */
export async function detachEverywhere(ctx: LocalRuntime, nodeId: string): Promise<void> {
  for (const pool of ctx.spec.pgpools.filter((p) => ctx.running(p.id))) {
    const index = pool.backends.findIndex((b) => b.nodeId === nodeId);
    if (index < 0) continue;
    const status = (await pcpNodeStatuses(ctx, pool).catch(() => []))[index];
    if (isAttachedStatus(status)) await setPoolNode(ctx, pool, 'detach', index);
  }
}

/**
 * Attaches every backend Pgpool holds down although its node runs here again (a standby
 * stopped and started while Pgpool ran); Pgpool 4.3 does not re-attach one by itself.
 */
export async function reattachRunningBackends(ctx: LocalRuntime, pool: PgpoolSpec, onlyIds?: ReadonlySet<string>): Promise<string[]> {
  // Over PCP, and asked again for a moment: a session through Pgpool right after a detach or an
  // attach is cut when Pgpool-II 4.3 restarts its children (seen as "Connection terminated
  // unexpectedly" in the fault suite), and the PCP process restarts with them.
  const statuses = await waitFor(() => pcpNodeStatuses(ctx, pool), { what: `${pool.id}'s node states over PCP`, timeoutMs: 10_000, intervalMs: 200, logFile: pool.paths.logFile });
  const attached: string[] = [];
  for (const [index, status] of statuses.entries()) {
    const backend = pool.backends[index];
    if (status !== 'down' || !backend?.nodeId || !ctx.running(backend.nodeId)) continue;
    if (onlyIds && !onlyIds.has(backend.nodeId)) continue;
    await setPoolNode(ctx, pool, 'attach', index);
    attached.push(backend.nodeId);
  }
  return attached;
}

/** Start when stopped; then ready when SHOW pool_nodes has every backend up and exactly one primary. */
export async function ensurePgpool(ctx: LocalRuntime, pool: PgpoolSpec): Promise<void> {
  const running = ctx.running(pool.id);
  if (running) {
    ctx.progress.note(`${pool.id} already running (pid ${running.pid})`);
    const attached = await reattachRunningBackends(ctx, pool);
    if (attached.length > 0) ctx.progress.note(`${pool.id}: attached ${attached.join(', ')} again (pcp_attach_node)`);
  } else {
    await ctx.progress.step(`start ${pool.id} (Pgpool-II ${ctx.toolchain.pgpool!.version})`, () => start(ctx, pool));
  }
  await waitPgpoolReady(ctx, pool);
}

/** Ready: every backend whose node runs here is up (a node stopped on purpose may stay down), one of them primary. */
export async function waitPgpoolReady(ctx: LocalRuntime, pool: PgpoolSpec): Promise<void> {
  const mustBeUp = pool.backends.filter((b) => b.nodeId === null || ctx.running(b.nodeId)).map((b) => b.index);
  const what = mustBeUp.length === pool.backends.length ? `${pool.backends.length} nodes up` : `${mustBeUp.length} of ${pool.backends.length} nodes up`;
  await ctx.progress.step(`${pool.id} ready (${what}, one primary)`, () =>
    waitForPoolNodes(pgpoolConn(ctx, pool), pool.backends.length, { logFile: pool.paths.logFile, timeoutMs: 30_000, mustBeUp }),
  );
}
