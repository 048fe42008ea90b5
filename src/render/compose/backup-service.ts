import type { ClusterSpec, PostgresNodeSpec } from '../../model/spec.js';
import { composeImageTag } from '../backup/compose-image.js';
import { backedUpNode } from '../backup/paths.js';
import { secretReference } from './secrets.js';
import { dataVolumeName, type ComposeService } from './services.js';

// With a Backup construct: every PostgreSQL container runs the image built from
// `<backup id>/Dockerfile` (the configured image plus pgBackRest) and mounts the repository
// volume, so whichever node is primary archives into it; a `backup` service backs up the
// primary. Added to the services services.ts renders, nothing else of them changes.

/** The socket folder of the backed-up node, shared with the backup service (pgBackRest talks to PostgreSQL over the socket only). */
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
  const socket = node.id === backedUpNode(spec).id ? [`${socketVolumeName(node)}:${node.paths.socketDir}`] : [];
  const { image: _configured, ...rest } = service;
  return {
    image: composeImageTag(spec, node.image),
    build: build(spec, node.image),
    ...rest,
    environment: { ...service.environment, ...pgbackrestEnvironment(spec) },
    volumes: [...service.volumes, ...repositoryMounts(spec), ...socket],
  };
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
      // Read-only: a backup only reads the data directory.
      `${dataVolumeName(node)}:${node.paths.dataDir}:ro`,
      `${socketVolumeName(node)}:${node.paths.socketDir}`,
      ...repositoryMounts(spec),
    ],
    networks: [spec.network.name],
    depends_on: { [node.id]: { condition: 'service_healthy' } },
    stop_grace_period: '10s',
  };
  // It publishes nothing: no `ports:` at all rather than an empty list.
  const { ports: _none, ...withoutPorts } = service;
  return withoutPorts as ComposeService;
}

/** The named volumes a Backup adds: the repository (posix) and the backed-up node's socket folder. */
export function backupVolumes(spec: ClusterSpec): string[] {
  if (!spec.backup) return [];
  const repo = spec.backup.repository;
  return [...(repo.type === 'posix' ? [repo.volume] : []), socketVolumeName(backedUpNode(spec))];
}
