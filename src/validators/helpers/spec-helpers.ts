import type { ClusterSpec, PostgresNodeSpec } from '../../model/spec.js';

// Lookups several rules share.

export function primaries(spec: ClusterSpec): PostgresNodeSpec[] {
  return spec.postgres.filter((n) => n.role === 'primary');
}

export function replicasOf(spec: ClusterSpec, primaryId: string): PostgresNodeSpec[] {
  return spec.postgres.filter((n) => n.replica?.upstreamId === primaryId);
}

export function nodeById(spec: ClusterSpec, id: string): PostgresNodeSpec | undefined {
  return spec.postgres.find((n) => n.id === id);
}
