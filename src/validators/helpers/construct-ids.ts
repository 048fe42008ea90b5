import type { ClusterSpec, NodeRef } from '../../model/spec.js';

/** Every construct under the cluster, as the spec lists them: PostgreSQL nodes (primaries first), Pgpools, HAProxies, the Backup. */
export function constructs(spec: ClusterSpec): Array<NodeRef & { kind: string }> {
  return [
    ...spec.postgres.map((n) => ({ ...refOf(n), kind: n.role })),
    ...spec.pgpools.map((p) => ({ ...refOf(p), kind: 'pgpool' })),
    ...spec.haproxies.map((h) => ({ ...refOf(h), kind: 'haproxy' })),
    ...(spec.backup ? [{ ...refOf(spec.backup), kind: 'backup' }] : []),
  ];
}

function refOf(n: NodeRef): NodeRef {
  return n.source ? { id: n.id, path: n.path, source: n.source } : { id: n.id, path: n.path };
}
