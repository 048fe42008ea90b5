import type { ClusterSpec, PostgresNodeSpec } from '../../model/spec.js';
import { shellQuote, shellVariable } from '../shell.js';
import { memberOf, replicaPassfile } from './replication-conninfo.js';

// Shell both container entrypoints share (the primary's and the replicas'), rendered once here:
// the replication password file, and the fencing of a node that last ran as a primary. After a
// failover the old primary's volume still says "primary" (no standby.signal); started as it is,
// it would take writes on a timeline nobody follows. It asks its peers first, and when one is
// the primary on a newer timeline it rejoins as that node's standby (pg_rewind), as
// src/local/rejoin.ts does for `synth up`. The variables it reads: PGDATA, CONFIG_FILE, PASSFILE.

/** A field of a password file line: `\` and `:` are escaped. */
function passfileField(value: string | number): string {
  return String(value).replace(/[\\:]/g, (c) => `\\${c}`);
}

/** The constants the shared functions read: the password file, its line's match, the peers. */
export function peerConstants(spec: ClusterSpec, node: PostgresNodeSpec): string[] {
  const q = shellQuote;
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
 * `fence_former_primary`: a no-op for a standby (standby.signal). A node without it last ran
 * as a primary: every peer is asked; one that is primary on a newer timeline was promoted in
 * this node's place, and this node is rewound onto it and made its standby. A peer primary on
 * the same timeline is refused (pgsynth cannot tell which holds the newer writes). When no peer
 * answers the node starts as the primary it was: a peer promoted but unreachable right now is
 * not seen (docs/running.md, "Failover under compose").
 */
export const FENCE_FUNCTION = [
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
  '# A node that last ran as a primary (no standby.signal) rejoins as the standby of a peer promoted',
  '# in its place (primary on a newer timeline) before it serves; it never takes a write on its old timeline.',
  'fence_former_primary() {',
  '  [[ -f "$PGDATA/standby.signal" ]] && return 0',
  '  local own peer host port answer timeline source=""',
  '  own=$(disk_timeline)',
  '  for peer in "${PEERS[@]}"; do',
  '    host=${peer%:*}',
  '    port=${peer##*:}',
  `    answer=$(ask_peer "$host" "$port" ${shellQuote(ASK_SQL)}) || continue`,
  '    [[ "$answer" =~ ^primary\\ ([0-9]+)$ ]] || continue',
  '    timeline=${BASH_REMATCH[1]}',
  '    if (( timeline > own )); then',
  '      source=$peer',
  '      break',
  '    fi',
  '    die "$host:$port is a primary on timeline $timeline and this node last ran as one on timeline $own: pgsynth cannot tell which holds the newer writes, so this one does not start. Nothing was deleted: stop the wrong one, and to make this node a standby put an empty standby.signal in its data directory."',
  '  done',
  '  if [[ -z "$source" ]]; then',
  '    echo "pgsynth: no peer is a primary on a newer timeline than $own (or none answers): starting as the primary"',
  '    return 0',
  '  fi',
  '  host=${source%:*}',
  '  port=${source##*:}',
  '  echo "pgsynth: $host is the primary on timeline $timeline, this node last ran as primary on timeline $own: rejoining as its standby (pg_rewind)"',
  "  # pg_rewind reads the source's timeline from its control file, which only a checkpoint after the",
  '  # promotion updates (the replication role may checkpoint from PostgreSQL 15).',
  '  ask_peer "$host" "$port" CHECKPOINT >/dev/null || echo "pgsynth: CHECKPOINT on $host failed; pg_rewind may see its old timeline"',
  "  # Crash recovery first, with the generated config: pg_rewind's own would use the data directory's",
  '  # postgresql.conf, where wal_log_hints is off, and then refuse.',
  '  postgres --single -F -D "$PGDATA" -c config_file="$CONFIG_FILE" template1 </dev/null >/dev/null ||',
  '    die "crash recovery before pg_rewind failed (see above). Nothing was deleted; this node does not start as a second primary."',
  '  if ! PGPASSFILE="$PASSFILE" pg_rewind --no-ensure-shutdown --target-pgdata="$PGDATA" \\',
  '    --source-server="host=$host port=$port user=$REPLICATION_ROLE dbname=postgres connect_timeout=5"; then',
  '    die "pg_rewind could not bring this node onto the timeline of $host (see above). Nothing was deleted and it does not start as a second primary: move its volume aside and clone $host into a new one (pg_basebackup as $REPLICATION_ROLE, then an empty standby.signal)."',
  '  fi',
  '  touch "$PGDATA/standby.signal"',
  '  echo "pgsynth: rewound onto $host; starting as its standby"',
  '}',
].join('\n');
