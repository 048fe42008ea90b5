import { backendServers, parseHaproxyCsv, type HaproxyStatsRow } from '../process/haproxy.js';
import type { HaproxySpec } from '../model/spec.js';
import { haproxyStatsUrl } from './urls.js';

// HAProxy's stats page behind basic auth, where `synth up` and `synth status` read the state of
// the backends haproxy.cfg names (src/render/haproxy/haproxy-cfg.ts: haproxyBackendNames).

export interface StatsAccess {
  url: string;
  user: string;
  password: string;
}

export function statsAccess(haproxy: HaproxySpec, password: string): StatsAccess | undefined {
  const url = haproxyStatsUrl(haproxy);
  if (!haproxy.stats || url === undefined) return undefined;
  return { url, user: haproxy.stats.user.name, password };
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
