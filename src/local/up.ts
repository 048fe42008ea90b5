import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Cluster } from '../model/cluster.js';
import type { ClusterSpec, PostgresNodeSpec } from '../model/spec.js';
import { serviceIds } from '../model/services.js';
import { LocalRunError } from '../process/errors.js';
import { makeOwnedDir } from '../process/files.js';
import { resolveRunAs, type RunAs } from '../process/run-as.js';
import type { Diagnostic } from '../validators/diagnostic.js';
import { writeBackupFiles } from './backup/files.js';
import { ensureStanza } from './backup/stanza.js';
import { bootstrapPrimary } from './bootstrap.js';
import { writeConfigFiles } from './config-files.js';
import { ensureHaproxy, setNodeInHaproxies } from './haproxy-service.js';
import { localLayout, type LocalLayout } from './layout.js';
import { resolveLocalSpec, validateForLocal, withPgpoolVersion, type LocalSpecOptions } from './local-spec.js';
import { detachEverywhere, ensurePgpool, reattachRunningBackends, waitPgpoolReady } from './pgpool-service.js';
import { query } from '../process/sql.js';
import { ensurePrimary, ensureStandby, ensureStarted, waitReplicasStreaming } from './postgres-service.js';
import { divergence, dropStaleSlots } from './rejoin.js';
import { choosePrimary, groupOf, memberStates } from './topology.js';
import { checkPortsFree, checkReachable, checkSocketPaths } from './preflight.js';
import { Progress, type ProgressSink } from './progress.js';
import { LocalRuntime } from './runtime.js';
import { writeSecretFiles } from './secret-files.js';
import { loadLocalSecrets } from './secrets.js';
import { isServiceRunning, readState } from './state.js';
import { inStopOrder, stopService } from './stop.js';
import { findToolchain } from './toolchain.js';

export interface UpOptions extends LocalSpecOptions {
  /** `--pg-bin`: directory of the PostgreSQL binaries. */
  pgBin?: string;
  /** Where passwords (and PATH) are read from. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Receives one line per step, with its duration. */
  progress?: ProgressSink;
  /** Stop what this run started when a step fails. @default true */
  rollback?: boolean;
}

export interface UpResult {
  runtime: LocalRuntime;
  /** Every service was running already: nothing was done. */
  alreadyRunning: boolean;
  durationMs: number;
  warnings: Diagnostic[];
}

function settle(tasks: Promise<unknown>[]): Promise<void> {
  // Every task ends before the first failure is reported: none is left starting a server behind our back.
  return Promise.allSettled(tasks).then((results) => {
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  });
}

/** The local folder (0700) and the socket folders inside it, owned by the user the servers run as. */
function prepareLocalDir(spec: ClusterSpec, layout: LocalLayout, runAs: RunAs): void {
  mkdirSync(dirname(layout.root), { recursive: true });
  checkReachable(layout.root, runAs);
  makeOwnedDir(layout.root, runAs);
  const socketDirs = new Set([...spec.postgres.map((n) => n.paths.socketDir), ...spec.pgpools.flatMap((p) => [p.paths.socketDir, p.paths.pcpSocketDir])]);
  for (const dir of socketDirs) makeOwnedDir(dir, runAs);
  writeFileSync(layout.markerFile, `Made by synth up for cluster ${spec.id}; synth down --purge deletes this folder.\n`);
}

/**
 * One replication group (an initial primary and its replicas) running: the node that is primary
 * now first (after a failover not the initial one), then every other node as its standby, a
 * former primary rewound first.
 */
async function startGroup(ctx: LocalRuntime, configPrimary: PostgresNodeSpec): Promise<void> {
  const group = groupOf(ctx, configPrimary);
  const states = await memberStates(ctx, group);
  const { primary: chosen, demoted } = choosePrimary(states);
  const primary = chosen?.node ?? configPrimary;
  if (chosen && primary !== configPrimary) ctx.progress.note(`${primary.id} is the primary (timeline ${chosen.timeline}); ${configPrimary.id} was the first`);
  for (const old of demoted.filter((d) => d.running)) {
    // A second primary someone started by hand: stopped before it takes another write.
    ctx.progress.note(`${old.node.id} runs as a primary beside ${primary.id}: stopping it to rejoin as a standby`);
    await stopOneService(ctx, old.node.id);
  }
  if (!chosen && states.some((s) => s.initialized)) {
    const standbys = states.filter((s) => s.initialized).map((s) => s.node.id);
    throw new LocalRunError('PRIMARY_LOST', `no node of ${configPrimary.id}'s group can start as the primary: ${standbys.join(', ')} hold the cluster's data as standbys`, {
      fix: `Promote the standby with the newest data ('synth promote ${standbys[0]}'); synth up then makes the others its standbys.`,
    });
  }
  let fresh = false;
  if (chosen) await ensureStarted(ctx, primary);
  else fresh = (await ensurePrimary(ctx, primary)).fresh;
  await bootstrapPrimary(ctx, configPrimary, primary);
  const standbys = group.filter((n) => n !== primary);
  const rejoining = new Set(demoted.map((d) => d.node.id));
  await settle(standbys.map((node) => ensureStandby(ctx, node, primary, { primaryFresh: fresh })));
  await waitReplicasStreaming(ctx, primary, standbys);
  for (const node of standbys.filter((n) => rejoining.has(n.id))) await dropStaleSlots(ctx, node);
}

/** Every node, Pgpool-II and HAProxy started (where stopped) and ready, in dependency order. */
async function startAll(ctx: LocalRuntime): Promise<void> {
  const { spec } = ctx;
  for (const configPrimary of spec.postgres.filter((n) => n.role === 'primary')) await startGroup(ctx, configPrimary);
  for (const pool of spec.pgpools) await ensurePgpool(ctx, pool);
  for (const proxy of spec.haproxies) await ensureHaproxy(ctx, proxy);
}

async function rollback(ctx: LocalRuntime): Promise<void> {
  const started = ctx.records().filter((r) => ctx.startedHere.includes(r.id));
  for (const record of inStopOrder(started)) {
    await stopService(record).catch(() => {});
    ctx.forget(record.id);
  }
  if (started.length > 0) ctx.progress.note(`stopped what this run started (${started.map((r) => r.id).join(', ')}); logs stay in ${ctx.layout.root}`);
}

/**
 * `synth up`: the cluster on this host with the real binaries, from its rendered files, until
 * every service is ready. Idempotent: running services are left alone, made data directories
 * are started as they are.
 */
export async function upLocal(cluster: Cluster, options: UpOptions = {}): Promise<UpResult> {
  const started = performance.now();
  const progress = new Progress(options.progress);
  const env = options.env ?? process.env;
  const resolved = resolveLocalSpec(cluster, options);
  const warnings = validateForLocal(cluster, resolved).filter((d) => d.severity === 'warning');
  const layout = localLayout(resolved);
  const runAs = resolveRunAs();
  const state = readState(layout.stateFile);
  const alreadyRunning = serviceIds(resolved).every((id) => state?.services.some((s) => s.id === id && isServiceRunning(s)));

  const toolchainOptions = { ...(options.pgBin ? { pgBin: options.pgBin } : {}), env };
  const toolchain = alreadyRunning
    ? findToolchain(resolved, toolchainOptions)
    : await progress.step('find binaries', () => findToolchain(resolved, toolchainOptions));
  const spec = withPgpoolVersion(resolved, toolchain.pgpool?.series);
  const result = (runtime: LocalRuntime, already: boolean): UpResult => ({ runtime, alreadyRunning: already, durationMs: performance.now() - started, warnings });

  if (alreadyRunning) {
    const secrets = loadLocalSecrets(spec, layout.secretsFile, env, { generate: false });
    return result(new LocalRuntime(spec, layout, toolchain, runAs, secrets, progress), true);
  }

  checkSocketPaths(spec);
  const runtime = await progress.step(`prepare ${layout.root}`, async () => {
    prepareLocalDir(spec, layout, runAs);
    const secrets = loadLocalSecrets(spec, layout.secretsFile, env, { generate: true });
    const ctx = new LocalRuntime(spec, layout, toolchain, runAs, secrets, progress);
    await checkPortsFree(spec, new Set(serviceIds(spec).filter((id) => !ctx.running(id))));
    writeConfigFiles(spec, runAs);
    await writeSecretFiles(spec, secrets, runAs);
    writeBackupFiles(spec, runAs, secrets, env);
    return ctx;
  });

  try {
    await startAll(runtime);
    await ensureStanza(runtime, env);
  } catch (error) {
    if (options.rollback ?? true) await rollback(runtime);
    throw error;
  }
  return result(runtime, false);
}

/**
 * Starts one stopped service of a running cluster again and waits for it: a PostgreSQL node
 * comes back as a standby of the node that is primary now (rewound first if it was the primary
 * before a failover) and every Pgpool-II that had detached it attaches it again.
 */
export async function startOneService(ctx: LocalRuntime, id: string): Promise<void> {
  ctx.refresh();
  const { spec } = ctx;
  const node = spec.postgres.find((n) => n.id === id);
  if (node) {
    if (!ctx.running(id)) await startNode(ctx, node);
    await setNodeInHaproxies(ctx, id, 'ready');
    for (const pool of spec.pgpools.filter((p) => p.backends.some((b) => b.nodeId === id) && ctx.running(p.id))) {
      await ctx.progress.step(`${pool.id}: attach ${id}`, () => reattachRunningBackends(ctx, pool, new Set([id])));
      await waitPgpoolReady(ctx, pool);
    }
    return;
  }
  const pool = spec.pgpools.find((p) => p.id === id);
  if (pool) return ensurePgpool(ctx, pool);
  const proxy = spec.haproxies.find((h) => h.id === id);
  if (proxy) return ensureHaproxy(ctx, proxy);
  throw new Error(`no service '${id}' in cluster ${spec.id}`);
}

/** One stopped node of a group: the primary as it is, any other as a standby of the primary that runs. */
async function startNode(ctx: LocalRuntime, node: PostgresNodeSpec): Promise<void> {
  const states = await memberStates(ctx, groupOf(ctx, node));
  const { primary } = choosePrimary(states);
  if (!primary || primary.node === node) {
    await ensurePrimary(ctx, node);
    return;
  }
  if (!primary.running) {
    throw new LocalRunError('PRIMARY_NOT_RUNNING', `${node.id} can only start as a standby of ${primary.node.id}, the primary (timeline ${primary.timeline}), which is not running`, {
      fix: `Start ${primary.node.id} first (synth up starts both in order), or promote ${node.id} with 'synth promote ${node.id}' if ${primary.node.id} is lost.`,
    });
  }
  const wasPrimary = states.find((s) => s.node === node)?.standby === false;
  await followPrimary(ctx, node, primary.node);
  if (wasPrimary) await dropStaleSlots(ctx, node);
}

/**
 * `node` (of a running cluster) started as a standby of `primary` and streaming from it. One that
 * diverged (PGS965) is stopped again before the error: it would serve reads its primary lacks.
 */
export async function followPrimary(ctx: LocalRuntime, node: PostgresNodeSpec, primary: PostgresNodeSpec): Promise<void> {
  try {
    await ensureStandby(ctx, node, primary, { primaryFresh: false });
    await waitReplicasStreaming(ctx, primary, [node]);
  } catch (error) {
    if (divergence(node)) await stopOneService(ctx, node.id);
    throw error;
  }
}

/**
 * The runtime of a cluster `synth up` made, running or not, for the commands that act on it
 * (promote, switchover, rejoin): no file is written and no password generated.
 */
export function openLocalRuntime(cluster: Cluster, options: Omit<UpOptions, 'rollback'> = {}): LocalRuntime {
  const env = options.env ?? process.env;
  const resolved = resolveLocalSpec(cluster, options);
  const layout = localLayout(resolved);
  if (!readState(layout.stateFile)) {
    throw new LocalRunError('NOT_STARTED', `${resolved.id} has not been started here (${layout.root})`, { fix: 'Start it with synth up.' });
  }
  const toolchain = findToolchain(resolved, { ...(options.pgBin ? { pgBin: options.pgBin } : {}), env });
  const spec = withPgpoolVersion(resolved, toolchain.pgpool?.series);
  const secrets = loadLocalSecrets(spec, layout.secretsFile, env, { generate: false });
  return new LocalRuntime(spec, layout, toolchain, resolveRunAs(), secrets, new Progress(options.progress));
}

/** pg_is_in_recovery() of a running node: true for a standby, undefined when it does not answer. */
async function inRecovery(ctx: LocalRuntime, node: PostgresNodeSpec): Promise<boolean | undefined> {
  const rows = await query<{ r: boolean }>(ctx.superuserConn(node, { connectTimeoutMs: 2_000, queryTimeoutMs: 2_000 }), 'SELECT pg_catalog.pg_is_in_recovery() AS r').catch(() => []);
  return rows[0]?.r;
}

/**
 * `synth stop SERVICE`: one service of a running cluster stopped cleanly (a node leaves HAProxy and
 * Pgpool-II first); `synth up` starts it again. The primary of the moment is refused: stopping it
 * would make Pgpool fail the cluster over, which a switchover does without losing a write.
 */
export async function stopServiceByHand(ctx: LocalRuntime, id: string): Promise<'stopped' | 'not running'> {
  ctx.refresh();
  const ids = serviceIds(ctx.spec);
  if (!ids.includes(id)) throw new LocalRunError('NO_SUCH_SERVICE', `no service '${id}' in cluster ${ctx.spec.id}`, { fix: `Name one of: ${ids.join(', ')}.` });
  if (!ctx.running(id)) return 'not running';
  const node = ctx.spec.postgres.find((n) => n.id === id);
  if (node && (await inRecovery(ctx, node)) === false && ctx.spec.postgres.some((n) => n !== node && ctx.running(n.id))) {
    throw new LocalRunError('STOP_PRIMARY', `${id} is the primary: stopping it would fail the cluster over to a standby`, {
      fix: `Switch over first (synth switchover --to <standby>), then stop ${id}; or stop the whole cluster with synth down.`,
    });
  }
  await stopOneService(ctx, id);
  return 'stopped';
}

/** Stops one running service (others keep running). */
export async function stopOneService(ctx: LocalRuntime, id: string): Promise<void> {
  ctx.refresh();
  const record = ctx.running(id);
  if (!record) return;
  const node = ctx.spec.postgres.find((n) => n.id === id);
  // Out of HAProxy's rotation first: it sends new sessions to the server until its checks fail.
  if (node) await setNodeInHaproxies(ctx, id, 'maint').catch(() => {});
  if (node && (await inRecovery(ctx, node)) === true) {
    // Detached first, a standby that shuts down is never handed a new session (Pgpool would
    // end it with "kind does not match" while the server refuses connections).
    await ctx.progress.step(`detach ${id} in Pgpool-II`, () => detachEverywhere(ctx, id)).catch(() => {});
  }
  await ctx.progress.step(`stop ${id}`, () => stopService(record));
  ctx.forget(id);
}
