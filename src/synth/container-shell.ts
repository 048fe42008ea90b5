import type { ClusterSpec } from '../model/spec.js';

// Shell lines the generated container entrypoints share: they are what the image contract of
// docs/running.md asks of an image (bash, a `postgres` user, the PostgreSQL binaries of the
// cluster's major on PATH or where Debian puts them), and nothing more.

/** Debian's (and the official image's) folder of the server binaries, first on PATH. */
export function postgresPath(spec: ClusterSpec): string {
  return `export PATH="/usr/lib/postgresql/${spec.postgresVersion}/bin:$PATH"`;
}

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
