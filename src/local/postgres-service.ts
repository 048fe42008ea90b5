import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { PostgresNodeSpec } from '../model/spec.js';
import { makeOwnedDir, writeOwnedFile } from '../process/files.js';
import { startPostgres, waitForStreaming, type StartPostgresOptions } from '../process/postgres.js';
import type { ServerProcess } from '../process/processes.js';
import { runTool } from '../process/run-as.js';
import { renderCloneScript } from '../render/postgres/clone-shell.js';
import { initdbVariable, renderInitdbScript } from '../render/postgres/initdb-shell.js';
import { postgresConfigFile } from './config-files.js';
import { divergence, explainDivergence, rejoinAsStandby } from './rejoin.js';
import { postgresBinEnv } from './script-env.js';
import { removeDir, type LocalRuntime } from './runtime.js';

// PostgreSQL nodes under `synth up`: made once (initdb, pg_basebackup), started on every run.
// A data directory with PG_VERSION is a made one: `up` after `down` starts it as it is.

export function isInitialized(dataDir: string): boolean {
  return existsSync(join(dataDir, 'PG_VERSION'));
}

/**
 * initdb by initdb.sh, the primary entrypoint's initdb lines (the compose target's): the
 * superuser's password reaches it in its environment and initdb through a pipe, never a file.
 */
async function initdb(ctx: LocalRuntime, node: PostgresNodeSpec): Promise<void> {
  const script = join(node.paths.configDir, 'initdb.sh');
  writeOwnedFile(script, renderInitdbScript(ctx.spec, node), ctx.runAs, 0o755);
  makeOwnedDir(node.paths.dataDir, ctx.runAs);
  const variable = initdbVariable(ctx.spec);
  try {
    await runTool('bash', [script], { runAs: ctx.runAs, env: { ...postgresBinEnv(ctx), [variable]: ctx.password(variable) }, timeoutMs: 120_000 });
  } catch (error) {
    removeDir(node.paths.dataDir);
    throw error;
  }
}

/** A node's postmaster with its generated postgresql.conf, as `up` and a restore start it. */
export function startNodeServer(node: PostgresNodeSpec, opts: Pick<StartPostgresOptions, 'binDir' | 'pidFile' | 'runAs' | 'name' | 'readyTimeoutMs'>): Promise<ServerProcess> {
  return startPostgres({
    ...opts,
    dataDir: node.paths.dataDir,
    configFile: postgresConfigFile(node.paths.configDir),
    logFile: node.paths.logFile,
    name: opts.name ?? node.id,
  });
}

async function start(ctx: LocalRuntime, node: PostgresNodeSpec): Promise<void> {
  const server = await startNodeServer(node, { binDir: ctx.toolchain.postgres.binDir, pidFile: ctx.layout.pidFile(node.id), runAs: ctx.runAs });
  ctx.recordStarted(node.id, node.role, server, [node.port.listenPort]);
}

export async function ensureStarted(ctx: LocalRuntime, node: PostgresNodeSpec): Promise<void> {
  const running = ctx.running(node.id);
  if (running) {
    ctx.progress.note(`${node.id} already running (pid ${running.pid})`);
    return;
  }
  await ctx.progress.step(`start ${node.id}`, () => start(ctx, node));
}

/** initdb when the data directory is new, then start. Returns whether it was made just now. */
export async function ensurePrimary(ctx: LocalRuntime, node: PostgresNodeSpec): Promise<{ fresh: boolean }> {
  const fresh = !isInitialized(node.paths.dataDir);
  if (fresh) {
    removeDir(node.paths.dataDir); // Whatever a crash left without PG_VERSION.
    await ctx.progress.step(`initdb ${node.id}`, () => initdb(ctx, node));
  }
  await ensureStarted(ctx, node);
  return { fresh };
}

/** Moves a data directory pgsynth cannot use aside, never deleting it: `<dir>.old-<time>`. */
export function moveAside(ctx: LocalRuntime, node: PostgresNodeSpec): void {
  const dir = node.paths.dataDir;
  if (!existsSync(dir)) return;
  const aside = `${dir}.old-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(dir, aside);
  ctx.progress.note(`${node.id}: moved its data directory aside to ${aside} (nothing was deleted)`);
}

/**
 * clone.sh, the replica entrypoint's clone lines (the compose target's): pg_basebackup from the
 * peer that accepts writes (`source` runs as the primary), without -R: the rendered
 * postgresql.conf lists the peers, the slot and the passfile, so no password lands in
 * postgresql.auto.conf.
 */
async function cloneFrom(ctx: LocalRuntime, node: PostgresNodeSpec, source: PostgresNodeSpec): Promise<void> {
  await ctx.progress.step(`base backup ${node.id} from ${source.id}`, async () => {
    const script = join(node.paths.configDir, 'clone.sh');
    writeOwnedFile(script, renderCloneScript(ctx.spec, node), ctx.runAs, 0o755);
    makeOwnedDir(node.paths.dataDir, ctx.runAs);
    try {
      await runTool('bash', [script], { runAs: ctx.runAs, env: postgresBinEnv(ctx), timeoutMs: 300_000 });
    } catch (error) {
      removeDir(node.paths.dataDir); // Only what this base backup itself wrote.
      throw error;
    }
  });
}

/**
 * A standby of `primary` running: cloned when its data directory is new, rewound when it last
 * ran as a primary (a failover left it behind), else started as it is; its primary_conninfo
 * finds the primary among its peers.
 */
export async function ensureStandby(ctx: LocalRuntime, node: PostgresNodeSpec, primary: PostgresNodeSpec, options: { primaryFresh: boolean }): Promise<void> {
  if (options.primaryFresh && isInitialized(node.paths.dataDir) && !ctx.running(node.id)) {
    // A standby of an earlier primary cannot follow a new one (another system identifier).
    moveAside(ctx, node);
  }
  if (!isInitialized(node.paths.dataDir)) {
    removeDir(node.paths.dataDir); // Whatever a crash left without PG_VERSION.
    await cloneFrom(ctx, node, primary);
  } else if (!existsSync(join(node.paths.dataDir, 'standby.signal'))) {
    // Only a node that last ran as a primary is rewound, as on compose (fence_former_primary): a
    // standby follows the new timeline by itself, unless it diverged (synth rejoin rewinds it).
    await rejoinAsStandby(ctx, node, primary);
  }
  await ensureStarted(ctx, node).catch((error: unknown) => {
    throw explainDivergence(error, node, primary);
  });
}

/** Waits until every named standby streams from `primary` (pg_stat_replication, by application_name). */
export async function waitReplicasStreaming(ctx: LocalRuntime, primary: PostgresNodeSpec, standbys: PostgresNodeSpec[]): Promise<void> {
  if (standbys.length === 0) return;
  const names = standbys.map((r) => r.member!.applicationName);
  // A standby that replayed past the fork of the primary's timeline never streams: said at once.
  const diverged = () => standbys.map((r) => divergence(r)).find((line) => line !== undefined);
  await ctx.progress.step(`${standbys.map((r) => r.id).join(', ')} streaming from ${primary.id}`, () =>
    waitForStreaming(ctx.superuserConn(primary), names, { logFile: standbys[0]!.paths.logFile, timeoutMs: 30_000, abortIf: diverged }).catch((error: unknown) => {
      throw standbys.map((r) => explainDivergence(error, r, primary)).find((e) => e !== error) ?? error;
    }),
  );
}
