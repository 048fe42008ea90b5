import type { ClusterSpec } from '../model/spec.js';

// Shell lines the generated container entrypoints share: they are what the image contract of
// docs/running.md asks of an image (bash, a `postgres` user, the PostgreSQL binaries of the
// cluster's major on PATH or where Debian puts them), and nothing more.

/** The variable `synth up` names the folder of the binaries it found in (--pg-bin, another major). */
export const PG_BIN_VARIABLE = 'PGSYNTH_PG_BIN';

/** The folder of the server binaries first on PATH: Debian's (and the official image's) unless given. */
export function postgresPath(spec: ClusterSpec): string {
  return `export PATH="\${${PG_BIN_VARIABLE}:-/usr/lib/postgresql/${spec.postgresVersion}/bin}:$PATH"`;
}

/** Every entrypoint's way out: the reason on stderr, exit 1. */
export const DIE_FUNCTION = ['die() {', '  echo "pgsynth: $*" >&2', '  exit 1', '}'].join('\n');

/**
 * `as_postgres CMD...` execs CMD as the postgres user, with whichever tool the image has: gosu
 * (official Debian-based images), su-exec (alpine), or util-linux's setpriv (any Debian).
 */
export const AS_POSTGRES_FUNCTION = [
  'as_postgres() {',
  '  if command -v gosu >/dev/null; then exec gosu postgres "$@"; fi',
  '  if command -v su-exec >/dev/null; then exec su-exec postgres "$@"; fi',
  '  exec setpriv --reuid=postgres --regid=postgres --init-groups "$@"',
  '}',
].join('\n');

/**
 * `load_secrets VAR...`: for each VAR whose `VAR_FILE` is set (compose secrets, `secretFiles`),
 * reads the password from that file into VAR and forgets VAR_FILE, so a re-execution as postgres
 * (which may not read the file) keeps the value. Without VAR_FILE, VAR stays as the environment has it.
 */
export const LOAD_SECRETS_FUNCTION = [
  'load_secrets() {',
  '  local variable file',
  '  for variable in "$@"; do',
  '    file="${variable}_FILE"',
  '    [[ -n "${!file:-}" ]] || continue',
  '    [[ -f "${!file}" && -r "${!file}" ]] || die "$file names ${!file}, which is not a file this user can read: write the password of $variable into secrets/$variable next to docker-compose.yml."',
  '    printf -v "$variable" \'%s\' "$(<"${!file}")"',
  '    export "${variable?}"',
  '    unset "$file"',
  '  done',
  '}',
].join('\n');

/** The call of load_secrets for these variables (their names are checked shell words). */
export function loadSecrets(variables: readonly string[]): string {
  return `load_secrets ${[...new Set(variables)].join(' ')}`;
}
