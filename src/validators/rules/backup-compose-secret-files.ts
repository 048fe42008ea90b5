import { defineRule } from '../rule.js';

export const backupComposeSecretFiles = defineRule({
  code: 'PGS196',
  severity: 'error',
  title: 'On compose, a Backup with an encryption key or S3 keys needs those secrets in .env, not secretFiles',
  why: "archive_command runs inside the PostgreSQL container and pgBackRest reads the repository passphrase and S3 keys from its environment (PGBACKREST_REPO1_CIPHER_PASS, PGBACKREST_REPO1_S3_KEY, PGBACKREST_REPO1_S3_KEY_SECRET). With secretFiles the containers get files instead, which pgBackRest does not read: every archive attempt would fail and PostgreSQL would keep every WAL segment in pg_wal until the disk is full. pgsynth refuses that instead of writing it.",
  fix: 'turn secretFiles off for this cluster (the secrets then come from .env), or drop encryptionKey and use a posix repository, or run the cluster with synth up',
  example: "new Cluster({ name: 'shop', secretFiles: true }); new Backup(cluster, 'backup', { encryptionKey: secret('SHOP_BACKUP_KEY') });",
  targets: ['compose'],
  check(spec) {
    const backup = spec.backup;
    if (!backup || !spec.secretFiles) return [];
    const issues = [];
    if (backup.cipherPassEnv) issues.push({ node: backup, field: 'encryptionKey', message: `secretFiles is on, but pgBackRest reads the passphrase (${backup.cipherPassEnv}) from the environment only, so archive_command would fail on every segment` });
    if (backup.repository.type === 's3') issues.push({ node: backup, field: 'repository', message: 'secretFiles is on, but pgBackRest reads the S3 keys from the environment only, so archive_command would fail on every segment' });
    return issues;
  },
});
