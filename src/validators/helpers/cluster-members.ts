import type { ClusterSpec, Endpoint, PgpoolBackendSpec, PgpoolSpec, PostgresNodeSpec } from '../../model/spec.js';

// Whether a reference in the spec (a replica's upstream, a Pgpool backend, an HAProxy server)
// points at a construct of this cluster. The spec names constructs by id, so a construct of
// another cluster with the same id is told apart by its address on this target.

export function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  return a.host === b.host && a.port === b.port;
}

// Rules look nodes up for every backend and server: an index per spec keeps that linear.
const nodesById = new WeakMap<ClusterSpec, Map<string, PostgresNodeSpec[]>>();

export function nodesWithId(spec: ClusterSpec, id: string): PostgresNodeSpec[] {
  let index = nodesById.get(spec);
  if (!index) {
    index = new Map();
    for (const n of spec.postgres) index.set(n.id, [...(index.get(n.id) ?? []), n]);
    nodesById.set(spec, index);
  }
  return index.get(id) ?? [];
}

/** The node of this cluster with this id at this address, if any. */
export function memberNode(spec: ClusterSpec, id: string, at: Endpoint): PostgresNodeSpec | undefined {
  return nodesWithId(spec, id).find((n) => sameEndpoint(n.address, at));
}

/** The PostgreSQL node a Pgpool backend reaches on this target, if it is one of this cluster's. */
export function backendNode(spec: ClusterSpec, b: PgpoolBackendSpec): PostgresNodeSpec | undefined {
  return b.nodeId !== null ? memberNode(spec, b.nodeId, b) : spec.postgres.find((n) => sameEndpoint(n.address, b));
}

/** The Pgpool of this cluster with this id at this address, if any. */
export function memberPgpool(spec: ClusterSpec, id: string, at: Endpoint): PgpoolSpec | undefined {
  return spec.pgpools.find((p) => p.id === id && sameEndpoint(p.address, at));
}
