import type { ClusterSpec, PostgresNodeSpec } from '../../model/spec.js';
import { markerComment } from '../marker.js';
import { postgresPath } from '../container-shell.js';
import { shellQuote } from '../shell.js';

/**
 * The header line naming a node in each of its files, e.g.
 * `shop/pg-replica1: replica of pg-primary (PostgreSQL 17, compose)`. It goes into comments of
 * four languages, so a line break (which would end the comment) is refused here once for all.
 */
export function nodeTitle(spec: ClusterSpec, node: PostgresNodeSpec): string {
  const role = node.replica ? `replica of ${node.replica.upstreamId}` : 'primary';
  const title = `${node.path}: ${role} (PostgreSQL ${spec.postgresVersion}, ${spec.target})`;
  if (/[\0\n\r]/.test(title)) throw new Error(`refusing a node name with a line break: ${JSON.stringify(title)}`);
  return title;
}

/** The first lines of each bash script pgsynth writes for a node: interpreter, marker, the node's title; its own description follows. */
export function scriptHead(spec: ClusterSpec, node: PostgresNodeSpec): string[] {
  return ['#!/usr/bin/env bash', markerComment(), `# ${nodeTitle(spec, node)}`, '#'];
}

/**
 * The start of a script `synth up` runs for one step of a node's startup (initdb.sh, clone.sh,
 * rewind.sh, passfile.sh): the head, what it does, strict mode, and with `dataDir` the data
 * directory and the PostgreSQL binaries on PATH.
 */
export function stepScriptHead(spec: ClusterSpec, node: PostgresNodeSpec, about: string, { dataDir = true } = {}): string[] {
  return [
    ...scriptHead(spec, node),
    `# ${about}`,
    'set -Eeuo pipefail',
    '',
    ...(dataDir ? [`export PGDATA=${shellQuote(node.paths.dataDir)}`, postgresPath(spec)] : []),
  ];
}
