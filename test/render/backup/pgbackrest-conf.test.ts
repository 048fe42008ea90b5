import { parse } from 'ini';
import { describe, expect, it } from 'vitest';
import { Backup, Cluster, Primary, Replica, secret } from '../../../src/index.js';
import type { BackupProps } from '../../../src/index.js';
import { renderPgbackrestConf } from '../../../src/render/backup/pgbackrest-conf.js';
import { renderPostgresqlConf } from '../../../src/render/postgres/postgresql-conf.js';

function spec(props: BackupProps = {}) {
  const cluster = new Cluster({ name: 'shop', postgresVersion: 15 });
  const primary = new Primary(cluster, 'pg-primary', { hostPort: 5611 });
  new Replica(cluster, 'pg-replica1', { primary, hostPort: 5612 });
  new Backup(cluster, 'backup', props);
  return cluster.resolve({ target: 'local', localDir: '/srv/pg/shop' });
}

describe('pgbackrest.conf', () => {
  it('holds the repository in [global] and each node its own data directory in [<stanza>]', () => {
    const s = spec();
    const [primary, replica] = s.postgres;
    const conf = parse(renderPgbackrestConf(s, replica!));
    expect(conf).toEqual({
      global: {
        'repo1-type': 'posix',
        'repo1-path': '/srv/pg/shop/backup/repo',
        'repo1-retention-full': '2',
        'repo1-retention-full-type': 'count',
        'compress-type': 'lz4',
        'process-max': '2',
        'log-path': '/srv/pg/shop/backup/log',
        'lock-path': '/srv/pg/shop/backup/lock',
        'spool-path': '/srv/pg/shop/backup/spool',
        'start-fast': 'y',
        'log-level-console': 'warn',
      },
      shop: { 'pg1-path': '/srv/pg/shop/pg-replica1/data', 'pg1-port': '5612', 'pg1-socket-path': '/srv/pg/shop/run' },
    });
    expect(parse(renderPgbackrestConf(s, primary!)).shop['pg1-path']).toBe('/srv/pg/shop/pg-primary/data');
  });

  it('asks for encryption without writing the passphrase, and writes S3 options', () => {
    const s = spec({
      stanza: 'main',
      encryptionKey: secret('SHOP_BACKUP_KEY'),
      retention: { full: 3, diff: 4, archive: 2 },
      compression: { type: 'zst', level: 6 },
      repository: { type: 's3', bucket: 'shop-backups', endpoint: 'minio:9000', region: 'us-east-1', uriStyle: 'path', accessKeyId: secret('S3_KEY'), secretAccessKey: secret('S3_SECRET') },
    });
    const text = renderPgbackrestConf(s, s.postgres[0]!);
    const conf = parse(text);
    expect(conf.global).toMatchObject({
      'repo1-type': 's3',
      'repo1-s3-bucket': 'shop-backups',
      'repo1-s3-endpoint': 'minio:9000',
      'repo1-s3-uri-style': 'path',
      'repo1-cipher-type': 'aes-256-cbc',
      'repo1-retention-diff': '4',
      'repo1-retention-archive': '2',
      'compress-type': 'zst',
      'compress-level': '6',
    });
    expect(Object.keys(conf)).toEqual(['global', 'main']);
    expect(text).not.toMatch(/cipher-pass|s3-key/);
    expect(s.secrets.map((x) => x.env)).toEqual(expect.arrayContaining(['SHOP_BACKUP_KEY', 'S3_KEY', 'S3_SECRET']));
  });

  it('refuses at construction a bucket pgBackRest would misread', () => {
    expect(() => spec({ repository: { type: 's3', bucket: 'a#b', endpoint: 'e', region: 'r', accessKeyId: secret('K'), secretAccessKey: secret('S') } })).toThrow(/bucket/);
  });
});

describe('postgresql.conf with a Backup', () => {
  it('archives on every node with its own config path, so a promoted standby archives', () => {
    const s = spec({ archiveTimeout: 120 });
    for (const node of s.postgres) {
      const conf = renderPostgresqlConf(s, node);
      expect(conf).toContain("archive_mode    = 'on'");
      expect(conf).toContain(`archive_command = 'pgbackrest --config-path=/srv/pg/shop/${node.id}/pgbackrest --stanza=shop archive-push %p'`);
      expect(conf).toMatch(/archive_timeout = 120\b/);
    }
  });

  it('writes nothing about archiving without a Backup', () => {
    const cluster = new Cluster({ name: 'shop', postgresVersion: 15 });
    new Primary(cluster, 'pg-primary', { hostPort: 5611 });
    const s = cluster.resolve({ target: 'local', localDir: '/srv/pg/shop' });
    expect(renderPostgresqlConf(s, s.postgres[0]!)).not.toContain('archive');
  });
});
