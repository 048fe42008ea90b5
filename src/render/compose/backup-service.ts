import type { ClusterSpec, PostgresNodeSpec } from '../../model/spec.js';
import { composeImageTag } from '../backup/compose-image.js';
import { backedUpNode, backupServiceMounts } from '../backup/paths.js';
import { secretReference } from './secrets.js';
import { dataVolumeName, type ComposeService } from './services.js';

// With a Backup construct: every PostgreSQL container runs the image built from
// `<backup id>/Dockerfile` (the configured image plus pgBackRest) and mounts the repository
// volume, so whichever node is primary archives into it; a `backup` service backs up the node
// that is primary at each run (backup.sh asks every node). Added to the services services.ts
// renders, nothing else of them changes.

/** A node's socket folder, shared with the backup service (pgBackRest talks to PostgreSQL over the socket only). */
export function socketVolumeName(node: PostgresNodeSpec): string {
  return `${node.id}-run`;
}

/**
 * pgBackRest reads the passphrase and S3 keys from PGBACKREST_* variables; the container's
 * environment reaches archive_command through postgres. Rule PGS196 refuses `secretFiles` here.
 */
function pgbackrestEnvironment(spec: ClusterSpec): Record<string, string> {
  const backup = spec.backup!;
  const env: Record<string, string> = {};
  if (backup.cipherPassEnv) env['PGBACKREST_REPO1_CIPHER_PASS'] = secretReference(backup.cipherPassEnv);
  if (backup.repository.type === 's3') {
    env['PGBACKREST_REPO1_S3_KEY'] = secretReference(backup.repository.accessKeyIdEnv);
    env['PGBACKREST_REPO1_S3_KEY_SECRET'] = secretReference(backup.repository.secretAccessKeyEnv);
  }
  return env;
}

function repositoryMounts(spec: ClusterSpec): string[] {
  const repo = spec.backup!.repository;
  return repo.type === 'posix' ? [`${repo.volume}:${repo.path}`] : [];
}

function build(spec: ClusterSpec, baseImage: string): NonNullable<ComposeService['build']> {
  return { context: `./${spec.backup!.id}`, dockerfile: 'Dockerfile', args: { BASE_IMAGE: baseImage } };
}

/** A PostgreSQL service with what archiving needs; unchanged without a Backup. */
export function withBackup(spec: ClusterSpec, node: PostgresNodeSpec, service: ComposeService): ComposeService {
  if (!spec.backup) return service;
  const { image: _configured, ...rest } = service;
  return {
    image: composeImageTag(spec, node.image),
    build: build(spec, node.image),
    ...rest,
    environment: { ...service.environment, ...pgbackrestEnvironment(spec) },
    volumes: [...service.volumes, ...repositoryMounts(spec), `${socketVolumeName(node)}:${node.paths.socketDir}`],
  };
}

/** Every node's data volume (read-only: a backup only reads it) and socket folder, at the node's own paths. */
function nodeMounts(spec: ClusterSpec): string[] {
  return spec.postgres.flatMap((n) => {
    const at = backupServiceMounts(n);
    return [`${dataVolumeName(n)}:${at.data}:ro`, `${socketVolumeName(n)}:${at.socket}`];
  });
}

/**
 * Waits for the configured primary (the stanza needs a server); the other nodes only have to be
 * created first, so that their volumes get the image's folders (owner, mode) before this mounts them.
 */
function dependencies(spec: ClusterSpec, primary: PostgresNodeSpec): NonNullable<ComposeService['depends_on']> {
  return Object.fromEntries(spec.postgres.map((n) => [n.id, { condition: n.id === primary.id ? 'service_healthy' : 'service_started' }]));
}

/** The backup service: the schedule loop of `<backup id>/backup.sh`, as postgres. */
export function backupService(spec: ClusterSpec): ComposeService | null {
  const backup = spec.backup;
  if (!backup) return null;
  const node = backedUpNode(spec);
  const environment = pgbackrestEnvironment(spec);
  const service: ComposeService = {
    image: composeImageTag(spec, node.image),
    build: build(spec, node.image),
    hostname: backup.id,
    restart: 'unless-stopped',
    user: 'postgres',
    // A command, not an entrypoint: `docker compose run backup pgbackrest …` replaces it.
    command: ['bash', `${node.paths.configDir}/backup.sh`],
    ...(Object.keys(environment).length ? { environment } : {}),
    ports: [],
    volumes: [
      `./${backup.id}:${node.paths.configDir}:ro`,
      ...nodeMounts(spec),
      ...repositoryMounts(spec),
    ],
    networks: [spec.network.name],
    depends_on: dependencies(spec, node),
    stop_grace_period: '10s',
  };
  // It publishes nothing: no `ports:` at all rather than an empty list.
  const { ports: _none, ...withoutPorts } = service;
  return withoutPorts as ComposeService;
}
