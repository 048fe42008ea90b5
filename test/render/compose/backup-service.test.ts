// A Backup on the compose target: which services build the generated image and from which base,
// what each one mounts, and that nothing changes without a Backup.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Backup, Cluster, Primary, Replica, secret, synthToMemory } from '../../../src/index.js';
import type { BackupProps } from '../../../src/index.js';

type Service = { image: string; build?: { context: string; dockerfile: string; args: Record<string, string> }; user?: string; command?: string[]; environment?: Record<string, string>; volumes: string[]; ports?: string[] };
type Compose = { services: Record<string, Service>; volumes: Record<string, unknown> };

function files(backup: BackupProps | null, options: { secretFiles?: boolean; replicaImage?: string } = {}): Record<string, string> {
  const cluster = new Cluster({ name: 'shop', postgresVersion: 15, ...(options.secretFiles ? { secretFiles: true } : {}) });
  const primary = new Primary(cluster, 'pg-primary', { hostPort: 5611, database: 'app' });
  new Replica(cluster, 'pg-replica1', { primary, hostPort: 5612, ...(options.replicaImage ? { image: options.replicaImage } : {}) });
  if (backup) new Backup(cluster, 'backup', backup);
  return synthToMemory(cluster);
}

const composeOf = (f: Record<string, string>) => parse(f['docker-compose.yml']!) as Compose;

describe('a Backup on the compose target', () => {
  it('builds every PostgreSQL service and the backup service from backup/Dockerfile on the configured image, one local tag per base image', () => {
    const compose = composeOf(files({}, { replicaImage: 'postgres:15.10-bookworm' }));
    const { 'pg-primary': primary, 'pg-replica1': replica, backup } = compose.services;
    expect(primary!.build).toEqual({ context: './backup', dockerfile: 'Dockerfile', args: { BASE_IMAGE: 'postgres:15-bookworm' } });
    expect(replica!.build!.args).toEqual({ BASE_IMAGE: 'postgres:15.10-bookworm' });
    expect(backup!.build).toEqual(primary!.build);
    expect(primary!.image).toMatch(/^pgsynth\/shop-postgres-pgbackrest:[0-9a-f]{12}$/);
    expect(backup!.image).toBe(primary!.image);
    expect(replica!.image).not.toBe(primary!.image);
  });

  it('mounts the repository volume everywhere; every node shares its socket folder, and the backup service mounts every node, data read-only', () => {
    const compose = composeOf(files({}));
    const { 'pg-primary': primary, 'pg-replica1': replica, backup } = compose.services;
    for (const s of [primary, replica, backup]) expect(s!.volumes).toContain('shop-pgbackrest:/var/lib/pgbackrest');
    expect(primary!.volumes).toContain('pg-primary-run:/var/run/postgresql');
    expect(replica!.volumes).toContain('pg-replica1-run:/var/run/postgresql');
    expect(replica!.volumes.some((v) => v.startsWith('pg-primary-run:'))).toBe(false);
    expect(backup!.volumes).toEqual([
      './backup:/etc/pgsynth:ro',
      'pg-primary-data:/var/lib/pgsynth/nodes/pg-primary/data:ro',
      'pg-primary-run:/var/lib/pgsynth/nodes/pg-primary/run',
      'pg-replica1-data:/var/lib/pgsynth/nodes/pg-replica1/data:ro',
      'pg-replica1-run:/var/lib/pgsynth/nodes/pg-replica1/run',
      'shop-pgbackrest:/var/lib/pgbackrest',
    ]);
    // Nothing at the data directory path: backup.sh links the chosen node's data there.
    expect(backup!.volumes.some((v) => v.split(':')[1] === '/var/lib/postgresql/data')).toBe(false);
    expect(backup!.user).toBe('postgres');
    expect(backup!.command).toEqual(['bash', '/etc/pgsynth/backup.sh']);
    expect(backup!.ports).toBeUndefined();
    expect((backup as unknown as { depends_on: unknown }).depends_on).toEqual({ 'pg-primary': { condition: 'service_healthy' }, 'pg-replica1': { condition: 'service_started' } });
    expect(Object.keys(compose.volumes)).toEqual(['pg-primary-data', 'pg-replica1-data', 'cluster-state', 'shop-pgbackrest', 'pg-primary-run', 'pg-replica1-run']);
  });

  it('gives pgBackRest the passphrase in its own variable, from .env, on every service that runs it', () => {
    const compose = composeOf(files({ encryptionKey: secret('SHOP_BACKUP_KEY') }));
    for (const id of ['pg-primary', 'pg-replica1', 'backup']) {
      expect(compose.services[id]!.environment!['PGBACKREST_REPO1_CIPHER_PASS']).toBe('${SHOP_BACKUP_KEY:?set SHOP_BACKUP_KEY in .env (see .env.example)}');
    }
  });

  it('writes each node\'s pgbackrest.conf into its mounted folder, and nothing of this without a Backup', () => {
    const withBackup = files({}, { secretFiles: true });
    expect(Object.keys(withBackup).filter((p) => p.includes('pgbackrest') || p.startsWith('backup/'))).toEqual([
      'backup/Dockerfile',
      'backup/backup.sh',
      'backup/pgbackrest/pgbackrest.conf',
      'pg-primary/pgbackrest/pgbackrest.conf',
      'pg-replica1/pgbackrest/pgbackrest.conf',
    ]);
    expect(withBackup['backup/Dockerfile']).toContain('FROM ${BASE_IMAGE}');
    const without = files(null);
    expect(Object.keys(without).some((p) => p.includes('pgbackrest') || p.startsWith('backup/'))).toBe(false);
    expect(composeOf(without).services['pg-primary']!.image).toBe('postgres:15-bookworm');
    expect(composeOf(without).services['pg-primary']!.build).toBeUndefined();
  });
});
