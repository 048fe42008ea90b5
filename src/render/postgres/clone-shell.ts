import type { ClusterSpec, PostgresNodeSpec } from '../../model/spec.js';
import { DIE_FUNCTION } from '../container-shell.js';
import { shellQuote } from '../shell.js';
import { peerConstants } from './fencing-shell.js';
import { stepScriptHead } from './node-title.js';
import { memberOf, replicaRole, replicationConninfo } from './replication-conninfo.js';

// The clone of a standby into its empty data directory, rendered once: the replica's
// entrypoint.sh runs these lines in the container, and `synth up` runs them as clone.sh
// (renderCloneScript), for a new standby and for `synth rejoin --reclone`.

const WAIT_ATTEMPTS = 60;
const WAIT_SECONDS = 2;

/**
 * The slot arguments of pg_basebackup. The primary's init.sh made the slots of the replicas it
 * knew on its first start; from PostgreSQL 15 a replica added later makes its own: it asks with
 * READ_REPLICATION_SLOT, which answers a missing slot with an empty row instead of an error in the
 * primary's log, and lets pg_basebackup create it. Before 15 the slot must exist (docs/running.md).
 */
function slotArguments(spec: ClusterSpec): string[] {
  if (spec.postgresVersion < 15) return ['  slot_args=(--slot="$SLOT")'];
  return [
    '  slot_args=(--slot="$SLOT")',
    '  # dbname=replication: the password file line names that database for replication connections.',
    '  slot_type=$(PGPASSFILE="$PASSFILE" psql --no-password --tuples-only --no-align --quiet \\',
    '    --dbname="$CONNINFO dbname=replication replication=true" --command="READ_REPLICATION_SLOT $SLOT") ||',
    '    die "could not ask $PRIMARY whether slot $SLOT exists (see the message above)."',
    '  if [[ -z "${slot_type%%|*}" ]]; then',
    '    echo "pgsynth: $PRIMARY has no slot $SLOT yet: pg_basebackup creates it"',
    '    slot_args+=(--create-slot)',
    '  fi',
  ];
}

/**
 * Whom a node clones first and through which slot: a replica its configured primary; the initial
 * primary (cloned again by `synth rejoin --reclone` after a failover) its first peer. libpq then
 * picks whichever peer accepts writes.
 */
function cloneSource(node: PostgresNodeSpec): { upstreamId: string; upstream: { host: string; port: number }; slotName: string | null } {
  if (node.role === 'replica') return replicaRole(node);
  const member = memberOf(node);
  const first = member.peers[0];
  if (!first) throw new Error(`${node.path} has no peer to clone`);
  return { upstreamId: first.id, upstream: first, slotName: member.slotName };
}

/** The constants the clone lines read; `peers` are the password file's (peerConstants). */
export function cloneConstants(spec: ClusterSpec, replica: PostgresNodeSpec, peers: string[]): string[] {
  const { upstream, upstreamId, slotName } = cloneSource(replica);
  const q = shellQuote;
  return [
    `readonly PRIMARY=${q(upstreamId)}`,
    `readonly PRIMARY_HOST=${q(upstream.host)}`,
    `readonly PRIMARY_PORT=${q(upstream.port)}`,
    ...peers,
    `readonly CONNINFO=${q(replicationConninfo(spec, replica, { passfile: false }))}`,
    ...(slotName !== null ? [`readonly SLOT=${q(slotName)}`] : []),
  ];
}

/** Lines (as the PostgreSQL user, $PGDATA empty) waiting for the peer that accepts writes, then pg_basebackup from it and standby.signal. */
export function cloneLines(spec: ClusterSpec, replica: PostgresNodeSpec): string[] {
  const { slotName } = cloneSource(replica);
  const primaryLog = spec.target === 'compose' ? ' (docker compose logs $PRIMARY)' : '';
  // synth up's clusters are throwaway development ones: seconds saved on every clone.
  const localOptions = spec.target === 'local' ? ' --no-sync' : '';
  return [
    '  # Whichever peer accepts writes: the initial primary, or the node promoted after it was lost.',
    '  # Asked as the replication role on database postgres, which pg_hba.conf admits (failover and',
    "  # pg_rewind use it): libpq's target_session_attrs skips the standbys.",
    `  for (( attempt = 1; attempt <= ${WAIT_ATTEMPTS}; attempt++ )); do`,
    `    PGPASSFILE="$PASSFILE" PGCONNECT_TIMEOUT=${WAIT_SECONDS} psql -X -A -t -q -w --dbname="$CONNINFO dbname=postgres" --command='SELECT 1' >/dev/null 2>&1 && break`,
    `    (( attempt < ${WAIT_ATTEMPTS} )) ||`,
    `      die "no peer ($PRIMARY at $PRIMARY_HOST:$PRIMARY_PORT first) accepted a read-write connection within ${WAIT_ATTEMPTS * WAIT_SECONDS} s; see its log${primaryLog}."`,
    `    echo "pgsynth: waiting for a primary ($PRIMARY at $PRIMARY_HOST:$PRIMARY_PORT, or a peer promoted after it) ($attempt/${WAIT_ATTEMPTS})"`,
    `    sleep ${WAIT_SECONDS}`,
    '  done',
    ...(slotName !== null ? slotArguments(spec) : []),
    '  # The peer that accepts writes: $PRIMARY, or the node promoted after it was lost.',
    '  echo "pgsynth: cloning the primary (the peer that accepts writes) into $PGDATA"',
    '  # No --write-recovery-conf: primary_conninfo lives in the generated postgresql.conf, and a copy',
    '  # in postgresql.auto.conf would override it.',
    `  PGPASSFILE="$PASSFILE" pg_basebackup --pgdata="$PGDATA" --wal-method=stream --checkpoint=fast${localOptions} \\`,
    `    --no-password ${slotName !== null ? '"${slot_args[@]}" ' : ''}--dbname="$CONNINFO"`,
    '  touch "$PGDATA/standby.signal"',
  ];
}

/** `synth up`'s clone.sh for a standby: the entrypoint's clone lines on their own (synth up starts the server). */
export function renderCloneScript(spec: ClusterSpec, replica: PostgresNodeSpec): string {
  return [
    ...stepScriptHead(spec, replica, "Clones the primary into the empty data directory, as this standby's entrypoint.sh does it on compose."),
    ...cloneConstants(spec, replica, peerConstants(spec, replica).filter((line) => /^readonly PASSFILE=/.test(line))),
    '',
    DIE_FUNCTION,
    '',
    '[[ -z "$(find "$PGDATA" -mindepth 1 -maxdepth 1 -print -quit)" ]] || die "$PGDATA is not empty. Nothing was deleted."',
    ...cloneLines(spec, replica).map((line) => line.replace(/^  /, '')),
    '',
  ].join('\n');
}
