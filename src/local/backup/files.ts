import { join } from 'node:path';
import type { ClusterSpec } from '../../model/spec.js';
import { makeOwnedDir, writeOwnedFile } from '../../process/files.js';
import type { RunAs } from '../../process/run-as.js';
import { pgbackrestConfigPath } from '../../render/backup/paths.js';
import { renderPgbackrestConf } from '../../render/backup/pgbackrest-conf.js';
import { secretValue, type LocalSecrets } from '../secrets.js';
import { checkPgbackrest } from './context.js';

// pgBackRest's folders and each node's configuration under synth up. Secrets (the repository
// passphrase, S3 keys) go into conf.d/secrets.conf, 0600 and owned by the servers' user: the
// archive_command runs inside postgres, whose environment synth up does not extend.

export function writeBackupFiles(spec: ClusterSpec, runAs: RunAs, secrets: LocalSecrets, env: NodeJS.ProcessEnv = process.env): void {
  const backup = spec.backup;
  if (!backup) return;
  checkPgbackrest(spec, env); // before any server starts
  const { logDir, lockDir, spoolDir } = backup.paths;
  makeOwnedDir(join(logDir, '..'), runAs, 0o750);
  for (const dir of [logDir, lockDir, spoolDir]) makeOwnedDir(dir, runAs, 0o750);
  if (backup.repository.type === 'posix') makeOwnedDir(backup.repository.path, runAs, 0o750);
  const secretLines: string[] = [];
  if (backup.cipherPassEnv) secretLines.push(`repo1-cipher-pass=${secretValue(secrets, backup.cipherPassEnv)}`);
  if (backup.repository.type === 's3') {
    secretLines.push(`repo1-s3-key=${secretValue(secrets, backup.repository.accessKeyIdEnv)}`);
    secretLines.push(`repo1-s3-key-secret=${secretValue(secrets, backup.repository.secretAccessKeyEnv)}`);
  }
  for (const node of spec.postgres) {
    const dir = pgbackrestConfigPath(node);
    makeOwnedDir(dir, runAs, 0o700);
    makeOwnedDir(join(dir, 'conf.d'), runAs, 0o700);
    writeOwnedFile(join(dir, 'pgbackrest.conf'), renderPgbackrestConf(spec, node), runAs, 0o640);
    // Always written, so a removed encryptionKey leaves no stale passphrase behind.
    writeOwnedFile(join(dir, 'conf.d', 'secrets.conf'), secretLines.length ? `[global]\n${secretLines.join('\n')}\n` : '', runAs, 0o600);
  }
}
