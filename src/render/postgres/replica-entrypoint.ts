import type { ClusterSpec, PostgresNodeSpec } from '../../model/spec.js';
import { shellQuote, shellVariable } from '../shell.js';
import { AS_POSTGRES_FUNCTION, DIE_FUNCTION, LOAD_SECRETS_FUNCTION, loadSecrets, postgresPath } from '../container-shell.js';
import { scriptHead } from './node-title.js';
import { prepareClusterState } from '../cluster-state.js';
import { fenceFunction, peerConstants, REWIND_DONE, writePassfile } from './fencing-shell.js';
import { cloneConstants, cloneLines } from './clone-shell.js';

// The standby container's entrypoint: clone the primary once into an empty data directory, then
// run whatever data is there on every later start. It never deletes data (the common `rm -rf` of
// PGDATA on each start re-copies the database at best and destroys it at worst).

/**
 * The replica's entrypoint: as root it hands PGDATA to postgres and re-executes itself as
 * postgres; as postgres it writes the password file, clones the primary into an empty PGDATA (never
 * into anything else) and execs postgres with the generated postgresql.conf.
 */
export function renderReplicaEntrypoint(spec: ClusterSpec, replica: PostgresNodeSpec): string {
  const replication = spec.roles.replication;
  const passwordVar = shellVariable(replication.passwordEnv);
  const q = shellQuote;

  return [
    ...scriptHead(spec, replica),
    '# Entrypoint of this standby. The first start clones the primary with pg_basebackup into the',
    '# empty data directory; every later start runs the data already there. Nothing here ever',
    '# deletes data: a directory that is neither empty nor a finished clone is refused instead.',
    '# Arguments are passed on to postgres.',
    'set -Eeuo pipefail',
    '',
    `export PGDATA=${q(replica.paths.dataDir)}`,
    postgresPath(spec),
    `readonly CONFIG_FILE=${q(`${replica.paths.configDir}/postgresql.conf`)}`,
    ...cloneConstants(spec, replica, peerConstants(spec, replica)),
    '',
    DIE_FUNCTION,
    AS_POSTGRES_FUNCTION,
    LOAD_SECRETS_FUNCTION,
    fenceFunction(spec),
    '',
    loadSecrets([passwordVar]),
    'mkdir -p "$PGDATA"',
    '# Started as root (the image default): hand the data directory to postgres, then run the rest as postgres.',
    'if [[ "$(id -u)" == 0 ]]; then',
    '  chmod 0700 "$PGDATA"',
    "  find \"$PGDATA\" \\! -user postgres -exec chown postgres:postgres '{}' +",
    '  if [[ -e "$PASSFILE" ]]; then chown postgres:postgres "$PASSFILE"; fi',
    ...prepareClusterState(spec),
    '  as_postgres bash "${BASH_SOURCE[0]}" "$@"',
    'fi',
    '',
    ...writePassfile(spec),
    '',
    'if [[ -f "$PGDATA/PG_VERSION" ]]; then',
    '  # pg_basebackup writes backup_manifest last: without it the clone was cut off midway, and',
    '  # starting it would replay onto missing files. A node rewound onto a peer that was never',
    `  # cloned lost its backup_manifest to pg_rewind, and has ${REWIND_DONE} instead.`,
    `  [[ -f "$PGDATA/backup_manifest" || -f "$PGDATA/${REWIND_DONE}" ]] ||`,
    '    die "$PGDATA holds an unfinished clone (PG_VERSION but no backup_manifest). Nothing was deleted: empty it yourself to clone $PRIMARY again."',
    '  # A clone never started yet (backup_label still there) lost its standby.signal to a stop right',
    '  # after pg_basebackup.',
    '  if [[ -f "$PGDATA/backup_label" && ! -f "$PGDATA/standby.signal" ]]; then touch "$PGDATA/standby.signal"; fi',
    '  # Without standby.signal this node was promoted (failover): it stays the primary unless a peer',
    '  # is the primary on a newer timeline, which it then rejoins as a standby.',
    '  fence_former_primary',
    '  claim_primary',
    '  echo "pgsynth: starting on the data in $PGDATA ($([[ -f "$PGDATA/standby.signal" ]] && echo standby || echo primary))"',
    'elif [[ -z "$(find "$PGDATA" -mindepth 1 -maxdepth 1 -print -quit)" ]]; then',
    ...cloneLines(spec, replica),
    'else',
    '  die "$PGDATA is not empty but holds no data directory (no PG_VERSION). Nothing was deleted: move its contents away to clone $PRIMARY into it."',
    'fi',
    '',
    'chmod 0700 "$PGDATA"',
    `unset ${passwordVar}`,
    '# exec: postgres becomes the process the container stops, and shuts down cleanly.',
    'exec postgres -D "$PGDATA" -c config_file="$CONFIG_FILE" "$@"',
    '',
  ].join('\n');
}
