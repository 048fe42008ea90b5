import type { ClusterSpec } from './spec.js';

/** Every service of a cluster, PostgreSQL nodes first, then Pgpools, then HAProxies: the order files and processes use. */
export function serviceIds(spec: ClusterSpec): string[] {
  return [...spec.postgres, ...spec.pgpools, ...spec.haproxies].map((n) => n.id);
}
