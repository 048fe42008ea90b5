import type { ClusterSpec, PgpoolSpec, PostgresNodeSpec } from '../model/spec.js';
import { posix } from 'node:path';
import { shellQuote } from './shell.js';

// The primary claim: one line, `NODE HOST PORT TIMELINE`, in a small volume every PostgreSQL
// container and every Pgpool that promotes share. It says which node last became (or started as)
// the primary, and on which timeline. Volumes of stopped containers cannot be asked, but this
// file can: a former primary that finds a claim naming another node on a newer timeline never
// starts as the primary, even when that node is not running yet (a `down` then `up` after a
// failover). Writers: failover.sh right after a promotion, and an entrypoint starting its node as
// the primary. The config never changes with it: it stays the initial topology.

/** The compose volume holding the claim. */
export const CLUSTER_STATE_VOLUME = 'cluster-state';

/** Where every container that reads or writes the claim mounts that volume (compose). */
export const CLUSTER_STATE_DIR = '/var/lib/pgsynth/cluster-state';

/** The claim file: in the volume on compose, under the local directory when the scripts run on the host. */
export function claimPath(spec: ClusterSpec): string {
  return `${spec.target === 'compose' ? CLUSTER_STATE_DIR : `${spec.localDir}/cluster-state`}/primary`;
}

/** Whether the cluster has a node with peers: only then is there a primary to claim. */
export function usesClusterState(spec: ClusterSpec): boolean {
  return spec.target === 'compose' && spec.postgres.some((n) => n.member !== undefined && n.member.peers.length > 0);
}

/** The Pgpools that promote a standby when this node, as the primary, is detached. */
export function promotingPools(spec: ClusterSpec, node: PostgresNodeSpec): PgpoolSpec[] {
  return spec.pgpools.filter((p) => p.failover === 'automatic' && p.backends.some((b) => b.nodeId === node.id));
}

/**
 * Seconds a former primary waits, while a promoting Pgpool runs, for it to fail over: twice its
 * detection time (period + retries × delay) plus ten for failover.sh to ask the nodes and promote.
 */
export function failoverGraceSeconds(pools: PgpoolSpec[]): number {
  const detection = Math.max(0, ...pools.map((p) => p.healthCheck.period + p.healthCheck.maxRetries * p.healthCheck.retryDelay));
  return pools.length === 0 ? 0 : 2 * detection + 10;
}

/**
 * Lines (root) making the state directory: 0777 and files 0644 because the PostgreSQL and Pgpool
 * images may run their `postgres` user under different uids, and each replaces the other's claim.
 * Only the cluster's own containers mount the volume.
 */
export function prepareClusterState(spec: ClusterSpec): string[] {
  const dir = shellQuote(posix.dirname(claimPath(spec)));
  return [`  mkdir -p ${dir}`, `  chmod 0777 ${dir}`];
}

/**
 * `write_claim ID HOST PORT TIMELINE` (atomic: a temporary file, then mv) and, unless `writeOnly`
 * (failover.sh only writes), `read_claim` (sets claim_id, claim_host, claim_port, claim_timeline;
 * fails when there is no well-formed claim).
 */
export function claimFunctions(spec: ClusterSpec, writeOnly = false): string {
  const read = [
    'read_claim() {',
    '  local line=""',
    '  [[ -r "$CLAIM" ]] || return 1',
    '  IFS= read -r line <"$CLAIM" || [[ -n "$line" ]] || return 1',
    '  [[ "$line" =~ ^([A-Za-z0-9_.-]+)\\ ([A-Za-z0-9_.:-]+)\\ ([0-9]+)\\ ([0-9]+)$ ]] || return 1',
    '  claim_id=${BASH_REMATCH[1]} claim_host=${BASH_REMATCH[2]} claim_port=${BASH_REMATCH[3]} claim_timeline=${BASH_REMATCH[4]}',
    '}',
  ];
  return [
    `readonly CLAIM=${shellQuote(claimPath(spec))}`,
    ...(writeOnly ? [] : read),
    'write_claim() {',
    '  local tmp="$CLAIM.$$.tmp"',
    '  mkdir -p "${CLAIM%/*}" && (umask 022 && printf \'%s %s %s %s\\n\' "$1" "$2" "$3" "$4" >"$tmp") && mv -f "$tmp" "$CLAIM"',
    '}',
  ].join('\n');
}
