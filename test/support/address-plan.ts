import type { ClusterSpec } from '../../src/model/spec.js';
import { pgpoolRuntimeDir } from '../../src/render/pgpool/index.js';

/**
 * `text` rendered for `from` rewritten to `to`'s address plan: every path of every service (by
 * id), the target's name and the Pgpool-II version replaced. What is left different after this is
 * logic that differs between the targets, which a startup script must not have.
 */
export function toAddressPlan(text: string, from: ClusterSpec, to: ClusterSpec): string {
  const pairs = new Map<string, string>();
  const addPaths = (a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined) => {
    for (const [key, value] of Object.entries(a ?? {})) {
      const other = b?.[key];
      if (typeof value === 'string' && typeof other === 'string') pairs.set(value, other);
    }
  };
  for (const kind of ['postgres', 'pgpools', 'haproxies'] as const) {
    for (const service of from[kind]) {
      const other = (to[kind] as readonly { id: string; paths: object }[]).find((s) => s.id === service.id);
      addPaths(service.paths as unknown as Record<string, unknown>, other?.paths as Record<string, unknown> | undefined);
    }
  }
  for (const pool of from.pgpools) {
    const other = to.pgpools.find((p) => p.id === pool.id);
    if (!other) continue;
    pairs.set(`Pgpool-II ${pool.version}`, `Pgpool-II ${other.version}`);
    // Several compose paths are one folder (/var/run/pgpool): the runtime folder inside it by name.
    pairs.set(pgpoolRuntimeDir(pool), pgpoolRuntimeDir(other));
  }
  // Titles name the target: "(compose)", "(PostgreSQL 15, compose)".
  pairs.set(`${from.target})`, `${to.target})`);
  // Longest first, so /a/b is replaced before /a; one pass, so a replacement is never replaced again.
  const keys = [...pairs.keys()].filter((k) => k !== '' && k !== pairs.get(k)).sort((a, b) => b.length - a.length);
  if (keys.length === 0) return text;
  const pattern = new RegExp(keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return text.replace(pattern, (match) => pairs.get(match)!);
}
