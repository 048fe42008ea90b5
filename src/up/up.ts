import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Cluster } from '../model/cluster.js';
import type { ClusterSpec } from '../model/spec.js';
import { makeOwnedDir } from '../local/files.js';
import { resolveRunAs, type RunAs } from '../local/run-as.js';
import type { Diagnostic } from '../validators/diagnostic.js';
import { writeBackupFiles } from './backup/files.js';
import { ensureStanza } from './backup/stanza.js';
import { bootstrapPrimary } from './bootstrap.js';
import { writeConfigFiles } from './config-files.js';
import { ensureHaproxy } from './haproxy-service.js';
import { localLayout, type LocalLayout } from './layout.js';
import { resolveLocalSpec, validateForLocal, withPgpoolVersion, type LocalSpecOptions } from './local-spec.js';
import { ensurePgpool, reattachRunningBackends, waitPgpoolReady } from './pgpool-service.js';
import { ensurePrimary, ensureReplica, waitReplicasStreaming } from './postgres-service.js';
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

/** Ids of every service of the spec, in start order. */
export function serviceIds(spec: ClusterSpec): string[] {
  return [...spec.postgres.map((n) => n.id), ...spec.pgpools.map((p) => p.id), ...spec.haproxies.map((h) => h.id)];
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

/** Every node, Pgpool-II and HAProxy started (where stopped) and ready, in dependency order. */
async function startAll(ctx: LocalRuntime): Promise<void> {
  const { spec } = ctx;
  for (const primary of spec.postgres.filter((n) => n.role === 'primary')) {
    const { fresh } = await ensurePrimary(ctx, primary);
    await bootstrapPrimary(ctx, primary);
    const replicas = spec.postgres.filter((n) => n.replica?.upstreamId === primary.id);
    await settle(replicas.map((replica) => ensureReplica(ctx, replica, { primaryFresh: fresh })));
    await waitReplicasStreaming(ctx, primary, replicas);
  }
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
    writeSecretFiles(spec, secrets, runAs);
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
 * Starts one stopped service of a running cluster again and waits for it: a replica streams
 * and every Pgpool-II that had detached it attaches it again.
 */
export async function startOneService(ctx: LocalRuntime, id: string): Promise<void> {
  ctx.refresh();
  const { spec } = ctx;
  const node = spec.postgres.find((n) => n.id === id);
  if (node?.role === 'primary') {
    await ensurePrimary(ctx, node);
  } else if (node?.replica) {
    await ensureReplica(ctx, node, { primaryFresh: false });
    await waitReplicasStreaming(ctx, ctx.node(node.replica.upstreamId), [node]);
  }
  if (node) {
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

/** Stops one running service (others keep running). */
export async function stopOneService(ctx: LocalRuntime, id: string): Promise<void> {
  ctx.refresh();
  const record = ctx.running(id);
  if (!record) return;
  await ctx.progress.step(`stop ${id}`, () => stopService(record));
  ctx.forget(id);
}
