import { describe, expect, it } from 'vitest';
import { Cluster, Primary, Replica } from '../../src/index.js';

// Type-level checks run under `tsc --noEmit` (npm test); the runtime assertions show the same
// mistakes are caught for JavaScript configs too.
describe('settings typed by the cluster major', () => {
  it('narrows settings to the parameters of postgresVersion', () => {
    const cluster = new Cluster({ name: 'shop', postgresVersion: 17 });
    const primary = new Primary(cluster, 'pg-primary', {
      hostPort: 5611,
      // @ts-expect-error a misspelt parameter is a type error
      settings: { shared_bufers: '1GB' },
    });
    new Replica(cluster, 'pg-replica1', {
      primary,
      hostPort: 5612,
      // @ts-expect-error wal_level is an enum without 'hot_standby'
      settings: { wal_level: 'hot_standby' },
    });
    const codes = cluster.validate().map((d) => `${d.code} ${d.path} ${d.field}`);
    expect(codes).toContain('PGS301 shop/pg-primary settings.shared_bufers');
    expect(codes).toContain('PGS307 shop/pg-replica1 settings.wal_level');
  });

  it('knows a parameter removed in 13 is gone on 13', () => {
    const cluster = new Cluster({ name: 'old', postgresVersion: 13 });
    // @ts-expect-error wal_keep_segments does not exist on 13
    new Primary(cluster, 'pg-primary', { hostPort: 5611, settings: { wal_keep_segments: 64 } });
    const d = cluster.validate().find((x) => x.field === 'settings.wal_keep_segments');
    expect(d?.code).toBe('PGS306');
    expect(d?.fix).toContain('wal_keep_size');
  });

  it('accepts valid typed settings', () => {
    const cluster = new Cluster({ name: 'ok', postgresVersion: 16 });
    new Primary(cluster, 'pg-primary', { hostPort: 5611, settings: { shared_buffers: '256MB', work_mem: '64MB', jit: false } });
    expect(cluster.validate().filter((d) => d.field.startsWith('settings.'))).toEqual([]);
  });
});
