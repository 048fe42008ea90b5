import type { ClusterSpec, PostgresNodeSpec } from '../../model/spec.js';
import { backendNode } from './cluster-members.js';

/** Paths of the constructs that send read-only queries to this node: load-balancing Pgpools (weight > 0) and direct HAProxy read-only frontends. */
export function readRoutesTo(spec: ClusterSpec, node: PostgresNodeSpec): string[] {
  const routes: string[] = [];
  for (const pool of spec.pgpools) {
    if (!pool.loadBalance) continue;
    if (pool.backends.some((b) => b.weight > 0 && backendNode(spec, b) === node)) routes.push(pool.path);
  }
  for (const h of spec.haproxies) {
    if (h.upstream.kind !== 'direct' || !h.readOnly) continue;
    if (h.readOnly.servers.some((s) => s.name === node.id && !s.backup)) routes.push(h.path);
  }
  return routes;
}
