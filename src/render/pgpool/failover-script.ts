import type { ClusterSpec, PgpoolSpec, PostgresNodeSpec } from '../../model/spec.js';
import { parseStandbyNames, standbyNameMatches } from '../../model/standby-names.js';
import { markerComment } from '../marker.js';
import { checkpointSql } from '../postgres/bootstrap-roles.js';
import { sqlLiteral } from '../postgres/sql-text.js';
import { shellQuote } from '../shell.js';
import { claimFunctions, usesClusterState } from '../cluster-state.js';
import { pgpoolRuntimeDir } from './entrypoint.js';

// Pgpool-II's failover_command. Pgpool runs it (under /bin/sh, exit status ignored) for every
// node it detaches; only the loss of the primary asks for work. No SSH: everything goes over
// libpq as the replication role, which the bootstrap lets promote (pg_promote), checkpoint
// (pg_checkpoint; before 15 pgsynth.checkpoint()) and make slots (REPLICATION). The standbys
// need no repointing: their primary_conninfo lists every peer and connects to the read-write one.

/** `bash <dir>/failover.sh %d %P`: the detached node and the primary before it, as Pgpool numbers backends. */
export function failoverCommand(pool: PgpoolSpec): string {
  return `bash ${pool.paths.configDir}/failover.sh %d %P`;
}

/** Where the script finds the replication role's password (a libpq password file, 0600). */
export function failoverPassfile(pool: PgpoolSpec): string {
  return `${pgpoolRuntimeDir(pool)}/failover.pgpass`;
}

/**
 * Where `synth switchover` and `synth promote` name the node they are promoting while they stop
 * the primary, and their own pid ("<node id> <pid>"): Pgpool detaches the stopping primary and
 * runs the script, which must then wait for that node instead of promoting another one beside
 * it, unless that synth is gone.
 */
export function plannedPromotionFile(pool: PgpoolSpec): string {
  return `${pgpoolRuntimeDir(pool)}/planned-promotion`;
}

/** Whether the initial primary's synchronous_standby_names lists this node: it wins a tie on WAL received. */
function isSynchronous(spec: ClusterSpec, node: PostgresNodeSpec): boolean {
  const primary = spec.postgres.find((n) => n.id === (node.replica?.upstreamId ?? node.id));
  const parsed = parseStandbyNames(primary?.primary?.synchronousStandbyNames ?? '');
  const name = node.member?.applicationName;
  return parsed.ok && parsed.value !== null && name !== undefined && parsed.value.names.some((n) => standbyNameMatches(n, name));
}

/** SQL making the slots a node needs as the primary, each only when missing. */
function slotsSql(slots: string[]): string {
  if (slots.length === 0) return 'SELECT 0';
  return [
    'SELECT count(pg_catalog.pg_create_physical_replication_slot(s, true))',
    `FROM unnest(ARRAY[${slots.map(sqlLiteral).join(', ')}]::text[]) AS s`,
    'WHERE s NOT IN (SELECT slot_name FROM pg_catalog.pg_replication_slots)',
  ].join(' ');
}

export function renderFailoverScript(spec: ClusterSpec, pool: PgpoolSpec): string {
  const q = shellQuote;
  const candidates = pool.backends.flatMap((b) => {
    const node = spec.postgres.find((n) => n.id === b.nodeId);
    return node ? [{ index: b.index, node }] : [];
  });
  const nodeLines = candidates.map(({ index, node }) => `  ${q(`${index} ${node.id} ${node.address.host} ${node.address.port} ${isSynchronous(spec, node) ? 1 : 0}`)}`);
  // Compose: the claim tells a former primary coming back, even after a `down`, who replaced it.
  const claims = usesClusterState(spec);
  const claimLib = claims ? `\n# The primary claim every PostgreSQL container reads before it starts as a primary.\n${claimFunctions(spec, true)}\n` : '';
  const claimWrite = claims
    ? `# Claimed before anything else: a former primary that starts now must find who replaced it.
timeline=$(ask "$host" "$port" "SELECT ('x' || substr(pg_catalog.pg_walfile_name(pg_catalog.pg_current_wal_lsn()), 1, 8))::bit(32)::int")
if [[ "$timeline" =~ ^[0-9]+$ ]] && write_claim "$id" "$host" "$port" "$timeline"; then
  log "claimed $id the primary on timeline $timeline in $CLAIM"
else
  log "could not write the primary claim $CLAIM for $id"
fi
`
    : '';
  const slotLines = candidates.map(({ index, node }) => `  [${index}]=${q(slotsSql(node.member?.slotsWhenPrimary ?? []))}`);
  return `#!/usr/bin/env bash
${markerComment('#')}
# ${pool.path}: Pgpool-II's failover_command, run as \`failover.sh %d %P\` for every node it detaches.
# When the primary is lost it promotes the standby that received the most WAL (a synchronous one
# on a tie): WAL is one stream, so that standby holds every commit any other standby confirmed,
# and the others can follow it. A node already primary (a manual promote got there first) is
# kept instead, and a node synth is promoting by plan (named in the planned-promotion file) is
# waited for. On compose it then claims that node the primary in the shared cluster-state
# volume (src/render/cluster-state.ts), makes the slots its standbys stream through and
# checkpoints the new primary (pg_rewind reads the new timeline from its control file). Pgpool
# ignores the exit status.
set -uo pipefail

# psql of any major: PATH, then Debian's and the official images' places.
export PATH="$PATH:/usr/lib/postgresql/${spec.postgresVersion}/bin:/usr/local/bin:/usr/bin"
export PGPASSFILE=${q(failoverPassfile(pool))}
export PGCONNECT_TIMEOUT=3
readonly ROLE=${q(spec.roles.replication.name)}
readonly PLANNED=${q(plannedPromotionFile(pool))}

# backend index, node id, host, port, synchronous (1) or not (0)
readonly NODES=(
${nodeLines.join('\n')}
)
# The slots each node makes once it is the primary: every other member's, then the extra ones.
declare -rA SLOTS_SQL=(
${slotLines.join('\n')}
)

log() { printf 'pgsynth failover: %s\\n' "$*" >&2; }
${claimLib}
# One value from one node, or nothing when it does not answer.
ask() {
  psql -X -A -t -q -w -v ON_ERROR_STOP=1 -h "$1" -p "$2" -U "$ROLE" -d postgres -c "$3" 2>/dev/null
}

readonly failed=\${1:?usage: failover.sh DETACHED_NODE OLD_PRIMARY} old_primary=\${2:?usage: failover.sh DETACHED_NODE OLD_PRIMARY}
if [[ "$failed" != "$old_primary" && "$old_primary" != -1 ]]; then
  log "node $failed (a standby) detached; the primary stays"
  exit 0
fi

# Whether the node of this NODES entry answers as primary (an empty entry never does).
is_primary() {
  local index id host port
  read -r index id host port _ <<<"$1"
  [[ -n "$host" && "$(ask "$host" "$port" 'SELECT pg_catalog.pg_is_in_recovery()')" == f ]]
}

# The first node of NODES answering as primary, the detached one too with "any": sets chosen.
find_primary() {
  local entry index id
  for entry in "\${NODES[@]}"; do
    read -r index id _ <<<"$entry"
    [[ "$1" != any && "$index" == "$failed" ]] && continue
    if is_primary "$entry"; then
      log "$id is primary already"
      chosen=$entry
      return 0
    fi
  done
  return 1
}

chosen=''
# A planned promotion: synth switchover or promote stopped the primary and is promoting the node
# named in $PLANNED, which it deletes when done. Nothing else is promoted beside it: wait until
# that node is primary (or synth gave up and the old primary runs again, or the file is gone),
# then keep whichever node is primary. The file also names synth's process: one left behind by
# a synth that died is ignored, so a real failover later does not wait for nothing.
planned='' planner=''
{ read -r planned planner _ <"$PLANNED"; } 2>/dev/null
if [[ -n "$planned" && -n "$planner" && ! -e "/proc/$planner" ]]; then
  log "ignoring $PLANNED: synth (pid $planner) that named $planned is gone"
  planned=''
fi
if [[ -n "$planned" ]]; then
  log "synth is promoting $planned (planned): waiting for it, up to 60 s"
  planned_entry='' failed_entry=''
  for entry in "\${NODES[@]}"; do
    read -r index id _ <<<"$entry"
    [[ "$id" == "$planned" ]] && planned_entry=$entry
    [[ "$index" == "$failed" ]] && failed_entry=$entry
  done
  for _ in $(seq 600); do
    # Done: the planned node is primary, or synth gave up and started the old primary again.
    if [[ ! -e "$PLANNED" ]] || is_primary "$planned_entry" || is_primary "$failed_entry"; then break; fi
    sleep 0.1
  done
  find_primary any || log "no node is primary after synth's planned promotion of $planned: choosing as after a loss"
else
  find_primary detached-excluded
fi

if [[ -z "$chosen" ]]; then
  best_lsn=-1
  best_sync=0
  for entry in "\${NODES[@]}"; do
    read -r index id host port sync <<<"$entry"
    [[ "$index" == "$failed" ]] && continue
    lsn=$(ask "$host" "$port" "SELECT pg_catalog.pg_wal_lsn_diff(greatest(pg_catalog.pg_last_wal_receive_lsn(), pg_catalog.pg_last_wal_replay_lsn()), '0/0')::bigint WHERE pg_catalog.pg_is_in_recovery()")
    [[ "$lsn" =~ ^[0-9]+$ ]] || continue
    if (( lsn > best_lsn || (lsn == best_lsn && sync > best_sync) )); then
      chosen=$entry
      best_lsn=$lsn
      best_sync=$sync
    fi
  done
  if [[ -z "$chosen" ]]; then
    log "node $failed (the primary) detached and no standby answers: nothing to promote"
    exit 1
  fi
  read -r index id host port sync <<<"$chosen"
  log "promoting $id (WAL received up to byte $best_lsn$( ((sync)) && echo ', synchronous'))"
  if [[ "$(ask "$host" "$port" 'SELECT pg_catalog.pg_promote(true, 60)')" != t ]]; then
    log "pg_promote on $id failed; the cluster has no primary"
    exit 1
  fi
fi

read -r index id host port _ <<<"$chosen"
${claimWrite}# Slots first: a synchronous commit on the new primary waits until a standby streams through one.
if ! ask "$host" "$port" "\${SLOTS_SQL[$index]}" >/dev/null; then
  log "could not make the replication slots on $id: its standbys cannot stream until they exist"
fi
# In the background: Pgpool-II serves no client until this script ends, and only pg_rewind needs it.
( ask "$host" "$port" ${q(checkpointSql(spec.postgresVersion))} >/dev/null || log "CHECKPOINT on $id failed: pg_rewind may see its old timeline" ) &
log "$id is the primary"
exit 0
`;
}
