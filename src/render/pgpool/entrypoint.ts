import type { ClusterSpec, PgpoolSpec, RoleSpec } from '../../model/spec.js';
import { markerComment } from '../marker.js';
import { AS_POSTGRES_FUNCTION, LOAD_SECRETS_FUNCTION, loadSecrets } from '../container-shell.js';
import { shellQuote } from '../shell.js';
import { prepareClusterState, usesClusterState } from '../cluster-state.js';
import { failoverPassfile } from './failover-script.js';

// The script Pgpool-II's container starts with. pool_passwd and pcp.conf hold secrets, so they
// are never generated: the script writes them from the environment into a private runtime
// directory (the generated configuration is mounted read-only), puts a copy of pgpool.conf
// beside them (Pgpool finds pool_passwd relative to pgpool.conf) and runs Pgpool in the
// foreground.

/** Where the entrypoint writes pool_passwd, pcp.conf and the pgpool.conf copy: inside the socket folder, which the Pgpool user owns. */
export function pgpoolRuntimeDir(pool: PgpoolSpec): string {
  return `${pool.paths.socketDir}/pgsynth-${pool.id}`;
}

function requireVariables(variables: string[]): string {
  return [
    'missing=()',
    `for variable in ${variables.map(shellQuote).join(' ')}; do`,
    '  if [[ -z "${!variable:-}" ]]; then',
    '    missing+=("$variable")',
    '  elif [[ "${!variable}" == *$\'\\n\'* || "${!variable}" == *$\'\\r\'* ]]; then',
    '    echo "pgsynth: $variable contains a line break, which pool_passwd and pcp.conf cannot hold" >&2',
    '    exit 1',
    '  fi',
    'done',
    'if (( ${#missing[@]} > 0 )); then',
    '  echo "pgsynth: ${missing[*]} not set: give every password in .env next to docker-compose.yml (see .env.example)" >&2',
    '  exit 1',
    'fi',
  ].join('\n');
}

function poolPasswdLines(roles: RoleSpec[]): string {
  return roles.map((role) => `  printf '%s:TEXT%s\\n' ${shellQuote(role.name)} "$${role.passwordEnv}"`).join('\n');
}

/** Started as root (an image without a USER): make the runtime folders postgres's, then run as postgres. */
function asPostgres(spec: ClusterSpec, claims: boolean): string {
  // failover.sh writes the primary claim into the cluster-state volume.
  const state = claims ? `\n${prepareClusterState(spec).join('\n')}` : '';
  return `
${AS_POSTGRES_FUNCTION}
if [[ "$(id -u)" == 0 ]]; then
  mkdir -p "$runtime_dir" "$log_dir"
  chmod 0700 "$runtime_dir"
  chown postgres:postgres "$runtime_dir" "$log_dir" "$(dirname "$runtime_dir")"${state}
  as_postgres bash "\${BASH_SOURCE[0]}" "$@"
fi
`;
}

/** The password variables the entrypoint reads: the inputs both targets hand it (compose from .env, `synth up` from its secrets). */
export function pgpoolEntrypointVariables(spec: ClusterSpec, pool: PgpoolSpec): string[] {
  const automatic = pool.failover === 'automatic';
  return [...new Set([...pool.poolPasswdRoles.map((r) => r.passwordEnv), pool.pcp.user.passwordEnv, ...(automatic ? [spec.roles.replication.passwordEnv] : [])])];
}

/**
 * The entrypoint of one Pgpool-II, the same for both targets (compose runs it in the container,
 * `synth up` as the Pgpool process): secrets from the environment, then `exec pgpool -n`.
 */
export function renderPgpoolEntrypoint(spec: ClusterSpec, pool: PgpoolSpec): string {
  const configDir = pool.paths.configDir;
  const runtimeDir = pgpoolRuntimeDir(pool);
  const pcpUser = pool.pcp.user;
  const automatic = pool.failover === 'automatic';
  const replication = spec.roles.replication;
  const variables = pgpoolEntrypointVariables(spec, pool);
  // failover.sh logs in to the nodes as the replication role: a libpq password file for any
  // host, port and database, with \ and : escaped.
  const failoverPass = automatic
    ? [
        '',
        `# failover.sh promotes, checkpoints and makes slots as ${replication.name}.`,
        `escaped=$(printf '%s' "$${replication.passwordEnv}" | sed 's/[\\\\:]/\\\\&/g')`,
        `printf '*:*:*:%s:%s\\n' ${shellQuote(replication.name)} "$escaped" >${shellQuote(failoverPassfile(pool))}`,
        '',
      ].join('\n')
    : '';
  return `#!/usr/bin/env bash
${markerComment('#')}
# ${pool.path}: starts Pgpool-II ${pool.version} with the generated configuration (${spec.target}).
# pool_passwd and pcp.conf are written here from the environment into ${runtimeDir};
# they never exist in the generated files.
set -euo pipefail

config_dir=${shellQuote(configDir)}
runtime_dir=${shellQuote(runtimeDir)}
log_dir=${shellQuote(pool.paths.logDir)}

# pgpool: the pgpool/pgpool image installs it under /opt/pgpool-II, Debian into /usr/sbin; a
# PATH given first (synth up puts the folder of the pgpool it found there) wins.
export PATH="$PATH:/opt/pgpool-II/bin:/usr/sbin"

die() {
  echo "pgsynth: $*" >&2
  exit 1
}
${LOAD_SECRETS_FUNCTION}
${loadSecrets(variables)}

${requireVariables(variables)}
${asPostgres(spec, automatic && usesClusterState(spec))}
umask 077
mkdir -p "$runtime_dir" "$log_dir" || {
  echo "pgsynth: cannot create $runtime_dir or $log_dir as $(id -un); Pgpool-II needs to write there" >&2
  exit 1
}

# SCRAM from clients needs the password itself (TEXT or AES): md5 entries cannot answer it.
{
${poolPasswdLines(pool.poolPasswdRoles)}
} >"$runtime_dir/pool_passwd"

# PCP users: the md5 of the password, unsalted, as pg_md5 prints it.
pcp_hash=$(printf '%s' "$${pcpUser.passwordEnv}" | md5sum)
printf '%s:%s\\n' ${shellQuote(pcpUser.name)} "\${pcp_hash%% *}" >"$runtime_dir/pcp.conf"
${failoverPass}
# Pgpool reads pool_passwd from the folder pgpool.conf is in.
cp "$config_dir/pgpool.conf" "$runtime_dir/pgpool.conf"

# Pgpool reads the passwords from the files above: none stays in its environment.
unset ${variables.join(' ')}

# -n: foreground, so the container runtime sees it exit. -D: forget node states a previous run
# recorded in pgpool_status, so a node once marked down is not kept out forever.
exec pgpool -n -D -f "$runtime_dir/pgpool.conf" -F "$runtime_dir/pcp.conf" -a "$config_dir/pool_hba.conf"
`;
}
