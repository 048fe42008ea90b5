import type { ClusterSpec, PostgresNodeSpec } from '../../model/spec.js';
import { shellQuote, shellVariable } from '../shell.js';
import { prepareClusterState } from '../cluster-state.js';
import { AS_POSTGRES_FUNCTION, DIE_FUNCTION, LOAD_SECRETS_FUNCTION, loadSecrets, postgresPath } from '../container-shell.js';
import { renderBootstrapSql } from './bootstrap-sql.js';
import { fenceFunction, peerConstants, writePassfile } from './fencing-shell.js';
import { scriptHead } from './node-title.js';
import { initdbBlock } from './initdb-shell.js';
import { BOOTSTRAP_DONE } from './primary-init-script.js';

// The primary container's entrypoint: pgsynth, not the image, makes the data directory and runs
// the bootstrap, so any image meeting the contract of docs/running.md runs the cluster the same way.

/**
 * The primary's entrypoint: as root it hands PGDATA to postgres and re-executes itself as
 * postgres; then initdb on an empty PGDATA, init.sh (roles, slots, database) on a server that
 * listens on the Unix socket only until it has once succeeded, and `exec postgres`.
 */
export function renderPrimaryEntrypoint(spec: ClusterSpec, primary: PostgresNodeSpec): string {
  const peers = primary.member !== undefined && primary.member.peers.length > 0;
  const superuser = spec.roles.superuser;
  const passwordVar = shellVariable(superuser.passwordEnv);
  const q = shellQuote;
  const passwords = [
    passwordVar,
    ...renderBootstrapSql(spec, primary).passwordSettings.map(({ env }) => shellVariable(env)),
    ...(peers ? [shellVariable(spec.roles.replication.passwordEnv)] : []),
  ];
  // During the bootstrap no client but init.sh may connect (listen_addresses ''), and no commit
  // may wait for a standby that cannot exist yet.
  const bootstrapOptions = "-c config_file=$CONFIG_FILE -c listen_addresses='' -c synchronous_standby_names=''";

  return [
    ...scriptHead(spec, primary),
    '# Entrypoint of the primary. The first start runs initdb into the empty data directory; until',
    '# init.sh (roles, slots, the database) has once finished, it runs on a server listening on the',
    '# Unix socket only, and again on the next start if it was cut off. Then postgres runs with the',
    '# generated postgresql.conf. Nothing here ever deletes data. Arguments are passed on to postgres.',
    ...(peers
      ? [
          '# After a failover this node, back, reads the primary claim and asks its peers first: when',
          '# another node was promoted in its place it rejoins as that node\'s standby (pg_rewind) and',
          '# never serves as a second primary.',
        ]
      : []),
    'set -Eeuo pipefail',
    '',
    `export PGDATA=${q(primary.paths.dataDir)}`,
    `export PGHOST=${q(primary.paths.socketDir)}`,
    `export PGPORT=${q(primary.port.listenPort)}`,
    postgresPath(spec),
    `readonly CONFIG_FILE=${q(`${primary.paths.configDir}/postgresql.conf`)}`,
    `readonly INIT_SCRIPT=${q(`${primary.paths.configDir}/init.sh`)}`,
    `readonly DONE="$PGDATA/${BOOTSTRAP_DONE}"`,
    ...(peers ? peerConstants(spec, primary) : []),
    '',
    DIE_FUNCTION,
    AS_POSTGRES_FUNCTION,
    LOAD_SECRETS_FUNCTION,
    ...(peers ? [fenceFunction(spec)] : []),
    '',
    loadSecrets(passwords),
    'mkdir -p "$PGDATA"',
    '# Started as root (the image default): hand the data and socket directories to postgres, then run the rest as postgres.',
    'if [[ "$(id -u)" == 0 ]]; then',
    '  chmod 0700 "$PGDATA"',
    "  find \"$PGDATA\" \\! -user postgres -exec chown postgres:postgres '{}' +",
    '  mkdir -p "$PGHOST"',
    '  if [[ "$(stat -c %U "$PGHOST")" != postgres ]]; then chown postgres:postgres "$PGHOST"; fi',
    ...(peers ? ['  if [[ -e "$PASSFILE" ]]; then chown postgres:postgres "$PASSFILE"; fi', ...prepareClusterState(spec)] : []),
    '  as_postgres bash "${BASH_SOURCE[0]}" "$@"',
    'fi',
    '',
    ...(peers ? [...writePassfile(spec), ''] : []),
    // Only a node with peers asks them whether it was replaced; without peers `fresh` has no reader.
    ...(peers ? ['fresh=0'] : []),
    ...initdbBlock(spec, {
      // Another node claimed the primary: an initdb here would start a second, empty primary.
      guard: peers
        ? [
            '  if read_claim && [[ "$claim_id" != "$SELF_ID" ]]; then',
            '    die "$PGDATA is empty, but the claim in $CLAIM names $claim_id the primary (timeline $claim_timeline): an initdb here would start a second, empty primary. Nothing was done: restore this node\'s volume, or clone $claim_id into it (pg_basebackup as $REPLICATION_ROLE, then an empty standby.signal)."',
            '  fi',
          ]
        : [],
      then: peers ? ['  fresh=1'] : [],
    }),
    '',
    ...(peers
      ? [
          '# A fresh data directory has no peer that could have replaced it.',
          'if (( ! fresh )); then fence_former_primary; fi',
          'claim_primary',
          '# A standby holds the bootstrap as the primary it follows replicated it.',
          'if [[ -f "$PGDATA/standby.signal" && ! -f "$DONE" ]]; then touch "$DONE"; fi',
          '',
        ]
      : []),
    'if [[ ! -f "$DONE" ]]; then',
    '  echo "pgsynth: bootstrap (roles, slots, database) on a server listening on the Unix socket only"',
    `  pg_ctl --wait --silent --options="${bootstrapOptions}" start`,
    '  if ! bash "$INIT_SCRIPT"; then',
    '    pg_ctl --wait --silent --mode=fast stop',
    '    die "the bootstrap failed (see above); it runs again on the next start."',
    '  fi',
    '  pg_ctl --wait --silent --mode=fast stop',
    'fi',
    '',
    '# The server needs none of the passwords: none stays in its environment.',
    `unset ${[...new Set(passwords)].join(' ')}`,
    '# exec: postgres becomes the process the container stops, and shuts down cleanly.',
    'exec postgres -D "$PGDATA" -c config_file="$CONFIG_FILE" "$@"',
    '',
  ].join('\n');
}
