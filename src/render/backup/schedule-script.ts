import type { ClusterSpec, PostgresNodeSpec } from '../../model/spec.js';
import { markerComment } from '../marker.js';
import { shellQuote } from '../shell.js';
import { pgbackrestArgs } from './paths.js';

// The compose backup service's command: a loop that wakes at each minute and runs the backup
// whose crontab schedule matches it (no cron daemon in the image, and none needed for 3 lines).

/** Matches one crontab field: lists of `*`, `N`, `N-M`, each with an optional `/STEP`. */
const FIELD_MATCHES = [
  '# field_matches VALUE FIELD MIN MAX: whether the crontab FIELD matches VALUE.',
  'field_matches() {',
  '  local value=$((10#$1)) part range step lo hi',
  '  local -a parts',
  "  IFS=, read -ra parts <<<\"$2\"",
  '  for part in "${parts[@]}"; do',
  '    range=${part%%/*} step=1',
  '    [[ $part == */* ]] && step=${part#*/}',
  '    if [[ $range == "*" ]]; then lo=$3 hi=$4',
  '    elif [[ $range == *-* ]]; then lo=${range%-*} hi=${range#*-}',
  '    else lo=$range hi=$range; [[ $part == */* ]] && hi=$4',
  '    fi',
  '    lo=$((10#$lo)) hi=$((10#$hi)) step=$((10#$step))',
  '    ((step > 0)) || continue',
  '    if ((value >= lo && value <= hi && (value - lo) % step == 0)); then return 0; fi',
  '  done',
  '  return 1',
  '}',
].join('\n');

/** A whole schedule against the minute in MINUTE HOUR DAY MONTH WEEKDAY, with cron's day rule. */
const CRON_MATCHES = [
  '# cron_matches SCHEDULE: whether SCHEDULE (5 fields) matches the minute read into NOW.',
  'cron_matches() {',
  '  local minute hour dom month dow day_ok=1 weekday_ok=1',
  '  read -r minute hour dom month dow <<<"$1"',
  '  field_matches "${NOW[0]}" "$minute" 0 59 && field_matches "${NOW[1]}" "$hour" 0 23 && field_matches "${NOW[3]}" "$month" 1 12 || return 1',
  '  field_matches "${NOW[2]}" "$dom" 1 31 && day_ok=0',
  '  # Sunday is 0 or 7.',
  '  { field_matches "${NOW[4]}" "$dow" 0 7 || { ((NOW[4] == 0)) && field_matches 7 "$dow" 0 7; }; } && weekday_ok=0',
  '  # As cron: with both day fields restricted, either one matching is enough.',
  '  if [[ $dom != "*" && $dow != "*" ]]; then ((day_ok == 0 || weekday_ok == 0)); else ((day_ok == 0 && weekday_ok == 0)); fi',
  '}',
].join('\n');

/** The script, run as postgres by the backup service (`<backup id>/backup.sh`). */
export function renderScheduleScript(spec: ClusterSpec, primary: PostgresNodeSpec): string {
  const backup = spec.backup!;
  const schedule = (s: string | null) => shellQuote(s ?? '');
  const pgbackrest = ['pgbackrest', ...pgbackrestArgs(backup, primary)].map(shellQuote).join(' ');
  return [
    '#!/usr/bin/env bash',
    markerComment(),
    `# ${backup.path}: the backup service of ${spec.path}, pgBackRest stanza '${backup.stanza}'.`,
    '#',
    `# Backs up ${primary.id} (its data volume is mounted read-only here and its socket folder shared).`,
    '# At start it creates the stanza (kept when it exists) once the server answers, then runs',
    '# `pgbackrest check`. Then it wakes at every minute of the container\'s clock (TZ, default UTC)',
    '# and takes the backup whose schedule matches that minute, full before diff before incr, one',
    '# at a time: a minute that passes while a backup runs or the service is down is not caught up.',
    '# Every decision is logged (docker compose logs backup). By hand:',
    `#   docker compose exec ${backup.id} ${pgbackrest} --type=full backup`,
    'set -Euo pipefail',
    '',
    `readonly PGBACKREST=(${pgbackrest})`,
    `readonly FULL=${schedule(backup.schedule.full)} DIFF=${schedule(backup.schedule.diff)} INCR=${schedule(backup.schedule.incr)}`,
    '',
    'log() { printf \'%s pgsynth-backup: %s\\n\' "$(date +%FT%T%z)" "$*"; }',
    '',
    FIELD_MATCHES,
    '',
    CRON_MATCHES,
    '',
    '# backup TYPE: one backup (pgBackRest expires by the retention after it); a failure is logged, the loop goes on.',
    'backup() {',
    '  local started=$SECONDS',
    '  log "$1 backup starting"',
    '  if "${PGBACKREST[@]}" --type="$1" backup; then',
    '    log "$1 backup finished in $((SECONDS - started)) s"',
    '  else',
    '    log "$1 backup FAILED (exit $?, see above and the pgBackRest log folder)"',
    '  fi',
    '}',
    '',
    '# due: the kind of backup this minute (in NOW) calls for, full before diff before incr; nothing when none.',
    'due() {',
    '  if [[ -n $FULL ]] && cron_matches "$FULL"; then echo full',
    '  elif [[ -n $DIFF ]] && cron_matches "$DIFF"; then echo diff',
    '  elif [[ -n $INCR ]] && cron_matches "$INCR"; then echo incr',
    '  fi',
    '}',
    '',
    'trap \'log "stopping"; exit 0\' TERM INT',
    '',
    '# Sourced (by a test) with an argument: only the functions above.',
    '[[ "${1:-}" == --functions-only ]] && return 0',
    '',
    'log "schedule: full \'${FULL:-never}\', diff \'${DIFF:-never}\', incr \'${INCR:-never}\'"',
    'until "${PGBACKREST[@]}" stanza-create; do',
    `  log "stanza-create failed (is ${primary.id} up?): again in 10 s"`,
    '  sleep 10 & wait $!',
    'done',
    'if "${PGBACKREST[@]}" check; then log "check: archiving reaches the repository"; else log "check FAILED: WAL does not reach the repository (see above)"; fi',
    '',
    'last=""',
    'while :; do',
    '  now=$(date +\'%Y-%m-%dT%H:%M %M %H %d %m %w\')',
    '  stamp=${now%% *}',
    '  read -ra NOW <<<"${now#* }"',
    '  if [[ $stamp != "$last" ]]; then',
    '    last=$stamp',
    '    kind=$(due)',
    '    if [[ -n $kind ]]; then backup "$kind"; fi',
    '  fi',
    '  sleep $((60 - 10#$(date +%S))) & wait $!',
    'done',
    '',
  ].join('\n');
}
