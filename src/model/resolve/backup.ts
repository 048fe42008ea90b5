import { Backup } from '../backup.js';
import type { BackupSpec } from '../spec.js';
import { nodeRef, type ResolveContext } from './context.js';

/**
 * The cluster's Backup, or null. Under `synth up` the repository and pgBackRest's folders live
 * in the local directory (`backup/`); on compose the repository is the configured path, on a
 * named volume every PostgreSQL container mounts.
 */
export function resolveBackup(ctx: ResolveContext): BackupSpec | null {
  const backup = ctx.cluster.nodes.find(Backup.isBackup);
  if (!backup) return null;
  const p = backup.props;
  const local = ctx.target === 'local';
  const repo = p.repository;
  const repository: BackupSpec['repository'] =
    repo.type === 'posix'
      ? { type: 'posix', path: local ? `${ctx.localDir}/backup/repo` : repo.path, volume: repo.volume ?? `${ctx.props.name}-pgbackrest` }
      : {
          type: 's3',
          bucket: repo.bucket,
          endpoint: repo.endpoint,
          region: repo.region,
          path: repo.path,
          uriStyle: repo.uriStyle,
          verifyTls: repo.verifyTls,
          accessKeyIdEnv: repo.accessKeyId.env,
          secretAccessKeyEnv: repo.secretAccessKey.env,
        };
  const use = (field: string, identity: string) => ({ node: nodeRef(backup), field, identity, defaulted: false });
  if (p.encryptionKey) {
    ctx.secrets.add({ name: 'pgbackrest', passwordEnv: p.encryptionKey.env }, 'passphrase of the backup repository (pgBackRest aes-256-cbc); without it no backup can be restored', use('encryptionKey', 'backup:passphrase'));
  }
  if (repo.type === 's3') {
    ctx.secrets.add({ name: 'pgbackrest', passwordEnv: repo.accessKeyId.env }, 'access key id of the S3 backup repository', use('repository.accessKeyId', 'backup:s3-key-id'));
    ctx.secrets.add({ name: 'pgbackrest', passwordEnv: repo.secretAccessKey.env }, 'secret access key of the S3 backup repository', use('repository.secretAccessKey', 'backup:s3-secret'));
  }
  const dir = local ? `${ctx.localDir}/backup` : '/var/lib/postgresql/pgbackrest';
  return {
    ...nodeRef(backup),
    tool: 'pgbackrest',
    stanza: p.stanza ?? ctx.props.name,
    repository,
    retention: { full: p.retention.full, diff: p.retention.diff ?? null, archive: p.retention.archive ?? null },
    schedule: { full: p.schedule.full, diff: p.schedule.diff, incr: p.schedule.incr },
    compression: { type: p.compression.type, level: p.compression.level ?? null },
    cipherPassEnv: p.encryptionKey?.env ?? null,
    archiveTimeout: p.archiveTimeout,
    processMax: p.processMax,
    paths: { logDir: `${dir}/log`, lockDir: `${dir}/lock`, spoolDir: `${dir}/spool` },
  };
}
