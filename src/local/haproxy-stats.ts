import { backendServers, parseHaproxyCsv, type HaproxyStatsRow } from '../process/haproxy.js';
import type { HaproxySpec } from '../model/spec.js';

// HAProxy facts `synth up` needs, read from the rendered haproxy.cfg (the renderer decides the
// backend names and the stats URI), and its stats page behind basic auth.

/** `default_backend` of `frontend <name>`. */
export function frontendBackend(cfg: string, frontend: string): string | undefined {
  const section = new RegExp(`^frontend\\s+${frontend}\\s*$([\\s\\S]*?)(?=^\\S|(?![\\s\\S]))`, 'm').exec(cfg)?.[1] ?? '';
  return /^\s*default_backend\s+(\S+)/m.exec(section)?.[1];
}

/** The `stats uri` (default `/`). */
export function statsUri(cfg: string): string {
  return /^\s*stats\s+uri\s+(\S+)/m.exec(cfg)?.[1] ?? '/';
}

export interface StatsAccess {
  url: string;
  user: string;
  password: string;
}

export function statsAccess(haproxy: HaproxySpec, cfg: string, password: string): StatsAccess | undefined {
  if (!haproxy.stats) return undefined;
  return { url: `http://127.0.0.1:${haproxy.stats.port.listenPort}${statsUri(cfg)}`, user: haproxy.stats.user.name, password };
}

export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export async function fetchStats(access: StatsAccess, timeoutMs = 3_000): Promise<HaproxyStatsRow[]> {
  const response = await fetch(`${access.url};csv;norefresh`, {
    headers: { authorization: basicAuth(access.user, access.password) },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`HAProxy stats ${access.url} answered HTTP ${response.status}.`);
  return parseHaproxyCsv(await response.text());
}

/** Ready: the RW backend has exactly one server UP, and no server of the RW or RO backend is still unchecked (INI). */
export function haproxyReady(rows: readonly HaproxyStatsRow[], rwBackend: string, roBackend: string | undefined): boolean {
  const rw = backendServers(rows, rwBackend);
  const ro = roBackend ? backendServers(rows, roBackend) : [];
  const unchecked = [...rw, ...ro].some((row) => row.checkStatus.startsWith('INI'));
  return !unchecked && rw.filter((row) => row.status === 'UP').length === 1;
}
