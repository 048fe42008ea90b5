import { createHash } from 'node:crypto';
import type { ClusterSpec } from '../../model/spec.js';
import { markerComment } from '../marker.js';

// The image every PostgreSQL container and the backup service run on the compose target: the
// configured postgres image plus pgBackRest (archive_command runs inside the container, and the
// official postgres images do not ship it) and the folders it writes into.

/** Where `docker compose run backup pgbackrest … restore` restores a new volume mounted there (docs/backup.md). */
export const RESTORE_DIR = '/var/lib/postgresql/restore';

/** The folders pgBackRest needs in the container, owned by postgres so a fresh named volume starts owned by it too. */
function ownedDirs(spec: ClusterSpec): string[] {
  const backup = spec.backup!;
  const repo = backup.repository.type === 'posix' ? [backup.repository.path] : [];
  return [...repo, backup.paths.logDir, backup.paths.lockDir, backup.paths.spoolDir, RESTORE_DIR];
}

/** The Dockerfile (build context `<backup id>/`, the base image as the build argument BASE_IMAGE). */
export function renderComposeDockerfile(spec: ClusterSpec): string {
  const dirs = ownedDirs(spec).join(' ');
  return [
    markerComment(),
    `# ${spec.path}: the configured PostgreSQL image plus pgBackRest, for WAL archiving and backups.`,
    '# pgbackrest is installed only when the image lacks it (an image that has it builds without',
    '# network): apt-get on Debian-based images (the official postgres images come with',
    "# apt.postgresql.org, whose pgbackrest supports every major), apk on Alpine.",
    'ARG BASE_IMAGE',
    'FROM ${BASE_IMAGE}',
    'ARG BASE_IMAGE',
    'USER root',
    'RUN set -eu; \\',
    '    if ! command -v pgbackrest >/dev/null 2>&1; then \\',
    '      if command -v apt-get >/dev/null 2>&1; then \\',
    '        apt-get update && apt-get install -y --no-install-recommends pgbackrest && rm -rf /var/lib/apt/lists/*; \\',
    '      elif command -v apk >/dev/null 2>&1; then \\',
    '        apk add --no-cache pgbackrest; \\',
    '      else \\',
    '        echo "pgsynth: $BASE_IMAGE has no pgbackrest and neither apt-get nor apk to install it: use a Debian- or Alpine-based image, or one with pgbackrest" >&2; exit 1; \\',
    '      fi; \\',
    '    fi; \\',
    '    pgbackrest version; \\',
    `    mkdir -p ${dirs}; \\`,
    `    chown postgres:postgres ${dirs}; \\`,
    `    chmod 0750 ${dirs}; \\`,
    `    chmod 0700 ${RESTORE_DIR}`,
    '',
  ].join('\n');
}

/**
 * The local tag of the built image, one per base image: a new Dockerfile or base image is a new
 * tag, so `docker compose up` builds it instead of reusing a stale one.
 */
export function composeImageTag(spec: ClusterSpec, baseImage: string): string {
  const hash = createHash('sha256').update(`${baseImage}\0${renderComposeDockerfile(spec)}`).digest('hex').slice(0, 12);
  return `pgsynth/${spec.id.toLowerCase()}-postgres-pgbackrest:${hash}`;
}
