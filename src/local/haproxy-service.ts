import type { HaproxySpec } from '../model/spec.js';
import { haproxyCommand, startHaproxy } from '../process/haproxy.js';
import { waitFor, waitForPort } from '../process/wait.js';
import { haproxyConfigFile } from './config-files.js';
import { haproxyBackendNames } from '../render/haproxy/index.js';
import { fetchStats, haproxyReady, statsAccess, type StatsAccess } from './haproxy-stats.js';
import type { LocalRuntime } from './runtime.js';

// HAProxy under `synth up`: as the invoking user, in the foreground (-db); the stats password
// reaches it through the environment variable haproxy.cfg names, never through a file.

function statsEnv(ctx: LocalRuntime, proxy: HaproxySpec): Record<string, string> {
  return proxy.stats ? { [proxy.stats.user.passwordEnv]: ctx.password(proxy.stats.user.passwordEnv) } : {};
}

export function haproxyStatsAccess(ctx: LocalRuntime, proxy: HaproxySpec): StatsAccess | undefined {
  return proxy.stats ? statsAccess(proxy, ctx.password(proxy.stats.user.passwordEnv)) : undefined;
}

async function start(ctx: LocalRuntime, proxy: HaproxySpec): Promise<void> {
  const server = await startHaproxy({
    bin: ctx.toolchain.haproxy!.bin,
    configFile: haproxyConfigFile(proxy.paths.configDir),
    logFile: proxy.paths.logFile,
    pidFile: ctx.layout.pidFile(proxy.id),
    env: statsEnv(ctx, proxy),
    host: '127.0.0.1',
    port: proxy.readWrite.port.listenPort,
  });
  const ports = [proxy.readWrite.port.listenPort, proxy.readOnly?.port.listenPort, proxy.stats?.port.listenPort];
  ctx.recordStarted(proxy.id, 'haproxy', server, ports.filter((p): p is number => p !== undefined));
}

/** Ready: its first checks are done and the RW backend has exactly one server UP (without a stats page: its ports accept). */
async function waitReady(ctx: LocalRuntime, proxy: HaproxySpec): Promise<void> {
  const access = haproxyStatsAccess(ctx, proxy);
  if (!access) {
    for (const frontend of [proxy.readWrite, proxy.readOnly]) {
      if (frontend) await waitForPort('127.0.0.1', frontend.port.listenPort, 10_000, { logFile: proxy.paths.logFile });
    }
    return;
  }
  const { rw, ro } = haproxyBackendNames(proxy);
  await waitFor(async () => haproxyReady(await fetchStats(access), rw, ro ?? undefined), {
    what: `HAProxy ${proxy.id}: backend ${rw} with one server UP and no server left unchecked (${access.url})`,
    timeoutMs: 20_000,
    intervalMs: 50,
    logFile: proxy.paths.logFile,
  });
}

export async function ensureHaproxy(ctx: LocalRuntime, proxy: HaproxySpec): Promise<void> {
  const running = ctx.running(proxy.id);
  if (running) {
    ctx.progress.note(`${proxy.id} already running (pid ${running.pid})`);
    // A node synth stopped while HAProxy ran is in maintenance there until started again.
    for (const node of ctx.spec.postgres.filter((n) => ctx.running(n.id))) await setServerState(ctx, proxy, node.id, 'ready');
  } else await ctx.progress.step(`start ${proxy.id} (HAProxy ${ctx.toolchain.haproxy!.version})`, () => start(ctx, proxy));
  await ctx.progress.step(`${proxy.id} ready (RW backend UP)`, () => waitReady(ctx, proxy));
}

/** The `backend/server` names through which an HAProxy reaches a node itself (none when only through Pgpool-II). */
function serversOf(proxy: HaproxySpec, nodeId: string): string[] {
  const { rw, ro } = haproxyBackendNames(proxy);
  const lists = (servers: readonly { name: string }[] | undefined) => servers?.some((s) => s.name === nodeId) ?? false;
  const backends = new Set([...(lists(proxy.readWrite.servers) ? [rw] : []), ...(ro && lists(proxy.readOnly?.servers) ? [ro] : [])]);
  return [...backends].map((backend) => `${backend}/${nodeId}`);
}

async function setServerState(ctx: LocalRuntime, proxy: HaproxySpec, nodeId: string, state: 'maint' | 'ready'): Promise<void> {
  for (const server of serversOf(proxy, nodeId)) {
    // An HAProxy started from an older haproxy.cfg has no runtime API: it then never had a node
    // in maintenance either, and its checks route as before.
    const answer = await haproxyCommand(proxy.paths.adminSocket, `set server ${server} state ${state}`).catch((error: Error) => {
      ctx.progress.note(`${proxy.id}: no runtime API at ${proxy.paths.adminSocket} (${error.message}); restart it to get one`);
      return '';
    });
    if (answer) throw new Error(`HAProxy ${proxy.id}: set server ${server} state ${state}: ${answer}`);
  }
}

/**
 * A node in maintenance (`maint`) or back in service (`ready`) in every running HAProxy that
 * sends to it directly, as a progress step (none when no HAProxy does): set to maintenance before
 * synth stops it, HAProxy hands it no new session while it shuts down (its checks would take
 * seconds to notice).
 */
export async function setNodeInHaproxies(ctx: LocalRuntime, nodeId: string, state: 'maint' | 'ready'): Promise<void> {
  const proxies = ctx.spec.haproxies.filter((h) => ctx.running(h.id) && serversOf(h, nodeId).length > 0);
  if (proxies.length === 0) return;
  const title = state === 'maint' ? `${nodeId} to maintenance in HAProxy` : `${nodeId} back in service in HAProxy`;
  await ctx.progress.step(title, async () => {
    for (const proxy of proxies) await setServerState(ctx, proxy, nodeId, state);
  });
}
