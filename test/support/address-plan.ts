import type { ClusterSpec } from '../../src/model/spec.js';
import { pgpoolRuntimeDir } from '../../src/render/pgpool/index.js';

/**
 * `text`, rendered for service `id` of `from`, rewritten to `to`'s address plan: the service's
 * paths (containers share paths such as /var/lib/postgresql/data, so only its own), the target's
 * name and the Pgpool-II version replaced. What is left different after this is logic that
 * differs between the targets, which a startup script must not have.
 */
export function toAddressPlan(text: string, from: ClusterSpec, to: ClusterSpec, id: string): string {
  const pairs = new Map<string, string>();
  const find = (spec: ClusterSpec) => [...spec.postgres, ...spec.pgpools, ...spec.haproxies].find((s) => s.id === id);
  const source = find(from);
  const target = find(to);
  if (!source || !target) throw new Error(`no service ${id} in both specs`);
  const targetPaths = target.paths as Record<string, unknown>;
  for (const [key, value] of Object.entries(source.paths)) {
    const other = targetPaths[key];
    if (typeof value === 'string' && typeof other === 'string') pairs.set(value, other);
  }
  if (source.kind === 'pgpool' && target.kind === 'pgpool') {
    pairs.set(`Pgpool-II ${source.version}`, `Pgpool-II ${target.version}`);
    // Several compose paths are one folder (/var/run/pgpool): the runtime folder inside it by name.
    pairs.set(pgpoolRuntimeDir(source), pgpoolRuntimeDir(target));
  }
  // Titles name the target: "(compose)", "(PostgreSQL 15, compose)".
  pairs.set(`${from.target})`, `${to.target})`);
  // Longest first, so /a/b is replaced before /a; one pass, so a replacement is never replaced again.
  const keys = [...pairs.keys()].filter((k) => k !== '' && k !== pairs.get(k)).sort((a, b) => b.length - a.length);
  if (keys.length === 0) return text;
  const pattern = new RegExp(keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return text.replace(pattern, (match) => pairs.get(match)!);
}
