import { describe, expect, it } from 'vitest';
import { synthesize } from '../../src/synth/synthesize.js';
import { shop } from '../validators/fixtures.js';
import { expectRefused, expectWarned, expectWorks } from './helpers.js';

// Every example of issue 11's "Why": refused clearly, or accepted and working with the real tools.

const PRIMARY = 'shop/pg-primary';
const PG15 = { cluster: { postgresVersion: 15 as const } };

describe('validate passes, then synth crashed: now each is refused or works', () => {
  it('accepts a parameter spelled as the catalog spells it (TimeZone) and writes it in lower case', () => {
    const { cluster } = shop({ ...PG15, primary: { settings: { TimeZone: 'UTC', DateStyle: 'ISO, DMY' } as never } });
    const files = expectWorks(cluster);
    expect(files['pg-primary/postgresql.conf']).toMatch(/^timezone += 'UTC'$/m);
    expect(files['pg-primary/postgresql.conf']).toMatch(/^datestyle += 'ISO, DMY'$/m);
  });

  it('refuses two spellings of one parameter', () => {
    expect(() => shop({ primary: { settings: { timezone: 'UTC', TimeZone: 'GMT' } as never } })).toThrowError(
      expect.objectContaining({
        diagnostics: [expect.objectContaining({ code: 'PGS001', path: PRIMARY, field: 'settings.TimeZone', message: expect.stringContaining('"timezone" and "TimeZone" name the same parameter') as string })],
      }) as Error,
    );
  });

  it('refuses wal_log_hints in settings: the renderer writes it on every node', () => {
    for (const value of [false, true]) {
      const d = expectRefused(shop({ primary: { settings: { wal_log_hints: value } } }).cluster, 'PGS307', PRIMARY, 'settings.wal_log_hints');
      expect(d.message).toContain('pgsynth writes it itself');
      expect(d.fix).toBe('remove it from settings');
    }
    const replica = expectRefused(shop({ r1: { settings: { WAL_LOG_HINTS: false } as never } }).cluster, 'PGS307', 'shop/pg-replica1', 'settings.wal_log_hints');
    expect(replica.message).toContain('pg_rewind');
  });

  it('refuses every parameter the postgresql.conf renderer writes, on a primary and on a replica', () => {
    // Read back from rendered files, so a parameter the renderer starts writing is covered here too.
    const { files } = synthesize(shop({ primary: { synchronousStandbyNames: 'ANY 1 (*)' } }).cluster);
    for (const [path, node] of [['pg-primary/postgresql.conf', PRIMARY], ['pg-replica1/postgresql.conf', 'shop/pg-replica1']] as const) {
      const text = files.find((f) => f.path === path)!.content;
      const keys = [...text.matchAll(/^([a-z_]+) *= /gm)].map((m) => m[1]!);
      expect(keys.length).toBeGreaterThan(15);
      for (const key of keys) {
        const settings = { [key]: 'x' } as never;
        const cluster = node === PRIMARY ? shop({ primary: { settings } }).cluster : shop({ r1: { settings } }).cluster;
        const found = cluster.validate().find((d) => d.code === 'PGS307' && d.field === `settings.${key}`);
        expect(found, `${key} in settings of ${node}`).toBeDefined();
      }
    }
  });

  it("accepts the documented PGS074 example allowedClients: ['0.0.0.0/0'] with its warning", () => {
    const { cluster } = shop({ ...PG15, primary: { database: 'app', allowedClients: ['0.0.0.0/0'] } });
    expectWarned(cluster, 'PGS074', 'allowedClients');
    const files = expectWorks(cluster);
    expect(files['pg-primary/pg_hba.conf']).toMatch(/^host +app +app +0\.0\.0\.0\/0 +scram-sha-256$/m);
  });
});
