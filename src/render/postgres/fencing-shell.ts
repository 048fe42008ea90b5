import type { ClusterSpec, PostgresNodeSpec } from '../../model/spec.js';
import { shellQuote, shellVariable } from '../shell.js';
import { claimFunctions, failoverGraceSeconds, promotingPools } from '../cluster-state.js';
import { checkpointSql } from './bootstrap-roles.js';
import { memberOf, replicaPassfile } from './replication-conninfo.js';

// Shell both container entrypoints share (the primary's and the replicas'), rendered once here:
// the replication password file, and the fencing of a node that last ran as a primary. After a
// failover the old primary's volume still says "primary" (no standby.signal); started as it is,
// it would take writes on a timeline nobody follows. It reads the primary claim of the shared
// cluster-state volume (src/render/cluster-state.ts) and asks its peers first, and when another
// node is the primary on a newer timeline it rejoins as that node's standby (pg_rewind), as
// src/local/rejoin.ts does for `synth up`. The variables it reads: PGDATA, CONFIG_FILE, PASSFILE.

/**
 * pg_rewind's arguments that fetch from the Backup's archive (restore_command) the target WAL it
 * needs and the node no longer has: one stopped cleanly after the fork recycled its WAL back to
 * the last checkpoint before it. From PostgreSQL 15 pg_rewind reads restore_command from the
 * generated config (`configFile` as it appears on the command line); before, only from the data
 * directory's, which has none. None without a Backup.
 */
export function rewindArchiveArgs(spec: ClusterSpec, configFile: string): string[] {
  return spec.backup !== null && spec.postgresVersion >= 15 ? ['--restore-target-wal', `--config-file=${configFile}`] : [];
}

/** A field of a password file line: `\` and `:` are escaped. */
function passfileField(value: string | number): string {
  return String(value).replace(/[\\:]/g, (c) => `\\${c}`);
}

const CLAIM_WAIT_SECONDS = 240;

/**
 * Written after a finished pg_rewind: the data directory is complete though it may have no
 * backup_manifest (the replica entrypoint's sign of a finished clone).
 */
export const REWIND_DONE = 'pgsynth-rewind.done';

/** The constants the shared functions read: the password file, its line's match, the peers. */
export function peerConstants(spec: ClusterSpec, node: PostgresNodeSpec): string[] {
  const q = shellQuote;
  // Under synth up nothing waits for Pgpool: synth up runs rewind.sh only once it found the node
  // promoted in this one's place.
  const pools = spec.target === 'compose' ? promotingPools(spec, node) : [];
  // Any peer, any database: after a failover the node streams from another node, and pg_rewind
  // reads the new primary through an ordinary connection.
  const passfileMatch = ['*', '*', '*', passfileField(spec.roles.replication.name)].join(':');
  return [
    `readonly PASSFILE=${q(replicaPassfile(spec, node))}`,
    '# host:port:database:user of the password file line.',
    `readonly PASSFILE_MATCH=${q(passfileMatch)}`,
    `readonly REPLICATION_ROLE=${q(spec.roles.replication.name)}`,
    '# host:port of every other node of the group, as primary_conninfo lists them.',
    `readonly PEERS=(${memberOf(node).peers.map((p) => q(`${p.host}:${p.port}`)).join(' ')})`,
    '# This node as the primary claim names it.',
    `readonly SELF_ID=${q(node.id)} SELF_HOST=${q(node.address.host)} SELF_PORT=${q(node.address.port)}`,
    '# host:port of each Pgpool that promotes a standby when this node, as the primary, is lost.',
    `readonly PROMOTERS=(${pools.map((p) => q(`${p.address.host}:${p.address.port}`)).join(' ')})`,
    `# Seconds to wait for such a Pgpool's failover (twice its detection time, plus 10).`,
    `readonly FAILOVER_GRACE=${failoverGraceSeconds(pools)}`,
    '# Seconds a node a claim has replaced waits for the claimed node before its container restarts.',
    `readonly CLAIM_WAIT=${CLAIM_WAIT_SECONDS}`,
  ];
}

/** Lines (run as postgres) writing the replication role's password file from its variable. */
export function writePassfile(spec: ClusterSpec): string[] {
  const replication = spec.roles.replication;
  const passwordVar = shellVariable(replication.passwordEnv);
  const q = shellQuote;
  return [
    '# primary_conninfo names no password: libpq reads it from the password file, rewritten on every',
    `# start so that a new ${passwordVar} takes effect with a restart.`,
    `secret=\${${passwordVar}:-}`,
    `[[ -n "$secret" ]] || die ${q(`${passwordVar} is not set or empty: it holds the password of the replication role '${replication.name}'.`)}`,
    `[[ "$secret" != *[$'\\n\\r']* ]] || die ${q(`${passwordVar} contains a line break, which a password file cannot hold.`)}`,
    `secret=\${secret//\\\\/\\\\\\\\}`,
    `secret=\${secret//:/\\\\:}`,
    `(umask 077 && printf '%s:%s\\n' "$PASSFILE_MATCH" "$secret" >"$PASSFILE")`,
    'chmod 0600 "$PASSFILE"',
    'unset secret',
  ];
}

/** Asks a peer, as the replication role: `standby`, or `primary TIMELINE`; nothing when it does not answer. */
const ASK_SQL =
  "SELECT CASE WHEN pg_catalog.pg_is_in_recovery() THEN 'standby' ELSE 'primary ' || ('x' || substr(pg_catalog.pg_walfile_name(pg_catalog.pg_current_wal_lsn()), 1, 8))::bit(32)::int END";

/**
 * `fence_former_primary`: a no-op for a standby (standby.signal). A node without it last ran as a
 * primary. While a Pgpool that promotes runs and a standby answers, it first waits out that
 * Pgpool's failover (a restart of the primary's container is a lost primary to Pgpool). Then a
 * claim naming another node on a newer timeline (src/render/cluster-state.ts) makes it wait for a
 * peer on a newer timeline to accept writes, however long, and rejoin it: it never starts as the
 * primary. Without such a claim every peer is asked: one that is primary on a newer timeline is
 * rejoined (pg_rewind); one on the same or an older timeline is refused (pgsynth cannot tell which
 * holds the newer writes); none: it starts as the primary it was and claims so.
 */
export function fenceFunction(spec: ClusterSpec): string {
  const fromArchive = rewindArchiveArgs(spec, '"$CONFIG_FILE"');
  return [
  claimFunctions(spec),
  '',
  '# The newest timeline this data directory knows: the highest pg_wal/*.history, else 1.',
  'disk_timeline() {',
  '  local newest=1 file name',
  '  for file in "$PGDATA"/pg_wal/*.history; do',
  '    name=${file##*/}',
  '    [[ "$name" =~ ^[0-9A-F]{8}\\.history$ ]] || continue',
  '    (( 16#${name:0:8} > newest )) && newest=$(( 16#${name:0:8} ))',
  '  done',
  '  echo "$newest"',
  '}',
  '',
  '# One answer from a peer as the replication role, or nothing when it does not answer.',
  'ask_peer() {',
  '  PGPASSFILE="$PASSFILE" PGCONNECT_TIMEOUT=3 psql -X -A -t -q -w -v ON_ERROR_STOP=1 \\',
  '    -h "$1" -p "$2" -U "$REPLICATION_ROLE" -d postgres -c "$3" 2>/dev/null',
  '}',
  '',
  '# A peer that is the primary on a timeline newer than $1: sets source (host:port) and timeline.',
  '# Fails when none is; a peer primary on the same or an older timeline stops this node.',
  'find_newer_primary() {',
  '  local own=$1 peer host port answer',
  "  source='' timeline=''",
  '  for peer in "${PEERS[@]}"; do',
  '    host=${peer%:*}',
  '    port=${peer##*:}',
  `    answer=$(ask_peer "$host" "$port" ${shellQuote(ASK_SQL)}) || continue`,
  '    [[ "$answer" =~ ^primary\\ ([0-9]+)$ ]] || continue',
  '    if (( BASH_REMATCH[1] > own )); then',
  '      source=$peer',
  '      timeline=${BASH_REMATCH[1]}',
  '      return 0',
  '    fi',
  '    die "$host:$port is a primary on timeline ${BASH_REMATCH[1]} and this node last ran as one on timeline $own: pgsynth cannot tell which holds the newer writes, so this one does not start. Nothing was deleted: stop the wrong one, and to make this node a standby put an empty standby.signal in its data directory."',
  '  done',
  '  return 1',
  '}',
  '',
  '# A claim naming another node the primary on a timeline newer than $1.',
  'claimed_elsewhere() {',
  '  read_claim && [[ "$claim_id" != "$SELF_ID" ]] && (( claim_timeline > $1 ))',
  '}',
  '',
  '# Whether a failover may replace this node: a Pgpool is configured to promote a standby in its',
  '# place and a standby answers. Pgpool itself is not asked: busy failing this node over, it may',
  '# not answer (seen). At a cold start this may wait for nothing, which is safe; a standby busy',
  '# losing its primary may not answer at once, so the standbys are asked three times.',
  'failover_possible() {',
  '  (( ${#PROMOTERS[@]} > 0 )) || return 1',
  '  local peer attempt answer answers',
  '  for (( attempt = 1; attempt <= 3; attempt++ )); do',
  '    answers=',
  '    for peer in "${PEERS[@]}"; do',
  `      answer=$(ask_peer "\${peer%:*}" "\${peer##*:}" ${shellQuote(ASK_SQL)})`,
  '      [[ "$answer" == standby ]] && return 0',
  '      answers+=" $peer:${answer:-no answer}"',
  '    done',
  '    sleep 1',
  '  done',
  '  echo "pgsynth: no standby answered (${answers# }): no failover replaces this node"',
  '  return 1',
  '}',
  '',
  '# Rewinds this data directory onto $source (timeline $timeline) and makes it a standby; own timeline $1.',
  'rewind_onto() {',
  '  local host=${source%:*} port=${source##*:}',
  '  echo "pgsynth: $host is the primary on timeline $timeline, this node last ran as primary on timeline $1: rejoining as its standby (pg_rewind)"',
  "  # pg_rewind reads the source's timeline from its control file, which only a checkpoint after the",
  '  # promotion updates (the replication role may: pg_checkpoint, or before 15 the bootstrap\'s function).',
  `  ask_peer "$host" "$port" ${shellQuote(checkpointSql(spec.postgresVersion))} >/dev/null || echo "pgsynth: CHECKPOINT on $host failed; pg_rewind may see its old timeline"`,
  "  # Crash recovery first, with the generated config: pg_rewind's own would use the data directory's",
  '  # postgresql.conf, where wal_log_hints is off, and then refuse.',
  '  postgres --single -F -D "$PGDATA" -c config_file="$CONFIG_FILE" template1 </dev/null >/dev/null ||',
  '    die "crash recovery before pg_rewind failed (see above). Nothing was deleted; this node does not start as a second primary."',
  ...(fromArchive.length > 0 ? ["  # WAL this node recycled since the last checkpoint before the fork comes from the Backup's archive."] : []),
  `  if ! PGPASSFILE="$PASSFILE" pg_rewind ${['--no-ensure-shutdown', ...fromArchive, '--target-pgdata="$PGDATA"'].join(' ')} \\`,
  '    --source-server="host=$host port=$port user=$REPLICATION_ROLE dbname=postgres connect_timeout=5"; then',
  '    die "pg_rewind could not bring this node onto the timeline of $host (see above). Nothing was deleted and it does not start as a second primary: move its volume aside and clone $host into a new one (pg_basebackup as $REPLICATION_ROLE, then an empty standby.signal)."',
  '  fi',
  '  # pg_rewind removes what the source lacks: backup_manifest too, when the source was never cloned.',
  `  touch "$PGDATA/${REWIND_DONE}" "$PGDATA/standby.signal"`,
  '  echo "pgsynth: rewound onto $host; starting as its standby"',
  '}',
  '',
  '# A node that last ran as a primary (no standby.signal) rejoins as the standby of a node promoted',
  '# in its place before it serves; it never takes a write on its old timeline.',
  'fence_former_primary() {',
  '  [[ -f "$PGDATA/standby.signal" ]] && return 0',
  '  local own waited',
  '  own=$(disk_timeline)',
  '  # A restart of this container is a lost primary to Pgpool: let its failover happen first rather',
  '  # than start as the primary while a standby is promoted in its place.',
  '  if (( FAILOVER_GRACE > 0 )) && ! claimed_elsewhere "$own" && failover_possible; then',
  '    echo "pgsynth: a Pgpool that promotes a standby in place of this node runs: waiting up to $FAILOVER_GRACE s for its failover first"',
  '    for (( waited = 0; waited < FAILOVER_GRACE; waited++ )); do',
  '      claimed_elsewhere "$own" && break',
  '      sleep 1',
  '    done',
  '  fi',
  '  if claimed_elsewhere "$own"; then',
  '    echo "pgsynth: the claim in $CLAIM names $claim_id the primary on timeline $claim_timeline, newer than this node\'s $own: waiting for it to accept writes, then rejoining it"',
  '    local deadline=$(( SECONDS + CLAIM_WAIT ))',
  '    until find_newer_primary "$own"; do',
  '      (( SECONDS < deadline )) ||',
  '        die "no peer accepted writes on a timeline newer than $own within $CLAIM_WAIT s, and $claim_id holds writes this node lacks, so it does not start as the primary (the container tries again when it restarts). Start $claim_id. Nothing was deleted."',
  '      echo "pgsynth: waiting for $claim_id ($claim_host:$claim_port) to accept writes ($(( CLAIM_WAIT - deadline + SECONDS )) s)"',
  '      sleep 2',
  '    done',
  '  elif ! find_newer_primary "$own"; then',
  '    echo "pgsynth: no peer is a primary on a newer timeline than $own (or none answers) and no claim names another node: starting as the primary"',
  '    return 0',
  '  fi',
  '  rewind_onto "$own"',
  '}',
  '',
  '# A node starting as the primary claims so: a former primary coming back defers to it.',
  'claim_primary() {',
  '  [[ -f "$PGDATA/standby.signal" ]] && return 0',
  '  write_claim "$SELF_ID" "$SELF_HOST" "$SELF_PORT" "$(disk_timeline)" ||',
  '    echo "pgsynth: could not write the primary claim $CLAIM (is the cluster-state volume mounted?)" >&2',
  '}',
].join('\n');
}
