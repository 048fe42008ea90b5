import { describe, expect, it } from 'vitest';
import { PgPool, secret } from '../../src/index.js';
import { synthesize } from '../../src/writer/synthesize.js';
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

/** The PGS001 diagnostics a builder throws for `props`. */
function propsErrors(build: () => unknown): Array<{ code: string; path: string; field: string; message: string; fix: string }> {
  try {
    build();
  } catch (error) {
    return (error as { diagnostics: Array<{ code: string; path: string; field: string; message: string; fix: string }> }).diagnostics;
  }
  return [];
}

describe('numbers the real tools refuse are refused, with the bound', () => {
  it('refuses HAProxy timers from 2^31 ms and 0, accepts 24d', () => {
    for (const [client, words] of [['25d', 'timer overflow'], ['2147483648ms', 'timer overflow'], ['0s', 'longer than 0']] as const) {
      const errors = propsErrors(() => shop({ haproxy: { timeouts: { client, server: client } } }));
      expect(errors.map((e) => `${e.code} ${e.path} ${e.field}`)).toContain('PGS001 shop/haproxy timeouts.client');
      expect(errors[0]!.message).toContain(words);
    }
    expectWorks(shop({ ...PG15, haproxy: { timeouts: { client: '24d', server: '24d' } } }).cluster, { compose: false });
  });

  it('refuses Pgpool integers from 2^31 (healthCheck.period 2147483648), accepts 2^31 - 1', () => {
    const errors = propsErrors(() => shop({ pgpool: { healthCheck: { period: 2147483648 } } }));
    expect(errors.map((e) => `${e.code} ${e.path} ${e.field}`)).toEqual(['PGS001 shop/pgpool healthCheck.period']);
    for (const field of ['srCheckPeriod', 'searchPrimaryNodeTimeout', 'reservedConnections'] as const) {
      expect(propsErrors(() => shop({ pgpool: { [field]: 2 ** 31 } })).map((e) => e.field)).toEqual([field]);
    }
    expectWorks(shop({ ...PG15, pgpool: { healthCheck: { period: 2147483647, timeout: 2147483647 }, srCheckPeriod: 2147483647 } }).cluster, { compose: false });
  });

  it("refuses maxSlotWalKeepSize: '9999999TB' against max_slot_wal_keep_size's range", () => {
    const d = expectRefused(shop({ primary: { maxSlotWalKeepSize: '9999999TB' } }).cluster, 'PGS025', PRIMARY, 'maxSlotWalKeepSize');
    expect(d.message).toContain('out of range for PostgreSQL 17');
    expect(d.fix).toContain('2147483647MB');
    expectWorks(shop({ ...PG15, r1: false, r2: false, pgpool: false, haproxy: false, primary: { maxSlotWalKeepSize: '2047TB' } }).cluster, { compose: false });
  });

  it('refuses a max_connections pgsynth derives past PostgreSQL\'s maximum (numInitChildren 1000, maxPool 300)', () => {
    const { cluster } = shop({ pgpool: { numInitChildren: 1000, maxPool: 300 } });
    const d = expectRefused(cluster, 'PGS025', PRIMARY, 'maxConnections');
    expect(d.message).toContain('301020');
    expect(d.message).toContain('derived it from');
    expect(d.fix).toContain('numInitChildren × maxPool');
    // The replicas inherit it, and are refused too.
    expect(cluster.validate().filter((x) => x.code === 'PGS025').map((x) => x.path)).toEqual(['shop/pg-primary', 'shop/pg-replica1', 'shop/pg-replica2']);
  });

  it('refuses maxConnections that with the other process counts passes the server limit', () => {
    const d = expectRefused(shop({ primary: { maxConnections: 262143 }, r1: false, r2: false, pgpool: false, haproxy: false }).cluster, 'PGS025', PRIMARY, 'maxConnections');
    expect(d.message).toContain('above the server\'s limit of 262143 processes');
  });
});

describe('secret names of their own', () => {
  const owner = (env: string) => shop({ primary: { database: 'app', ownerPassword: secret(env) } }).cluster;

  it("refuses ownerPassword: secret('PATH') and the other names the containers, images or compose use", () => {
    for (const env of ['PATH', 'HOME', 'SHELL', 'ENV', 'BASH_ENV', 'PGDATA', 'PGPASSWORD', 'PG_MAJOR', 'PG_COLOR', 'POSTGRES_PASSWORD', 'COMPOSE_PROJECT_NAME', 'DOCKER_HOST', 'LD_PRELOAD', 'LC_ALL', 'PGSSLMODE', 'HAPROXY_CFGFILES']) {
      const d = expectRefused(owner(env), 'PGS077', PRIMARY, 'ownerPassword');
      expect(d.message).toContain(`secret '${env}' is not a name of its own`);
    }
    expect(owner('SHOP_APP_PASSWORD').validate().filter((d) => d.code === 'PGS077')).toEqual([]);
    expect(owner('PGSHOP_APP_PASSWORD').validate().filter((d) => d.code === 'PGS077')).toEqual([]);
  });

  it('holds default names to the exact names only: a cluster named compose or pg-sync keeps its defaults', () => {
    for (const name of ['compose', 'pg-sync', 'postgres', 'ld']) {
      expect(shop({ cluster: { name } }).cluster.validate().filter((d) => d.code === 'PGS077')).toEqual([]);
    }
    // …while a name the user picks stays out of the whole family.
    expectRefused(shop({ cluster: { name: 'compose', superuser: { password: secret('COMPOSE_POSTGRES_PASSWORD') } } }).cluster, 'PGS077', 'compose', 'superuser.password');
  });

  it('refuses one variable for two passwords, allows one role named twice', () => {
    const { cluster } = shop({ cluster: { superuser: { password: secret('SHOP_ONE') } }, primary: { database: 'app', ownerPassword: secret('SHOP_ONE') } });
    const d = expectRefused(cluster, 'PGS077', PRIMARY, 'ownerPassword');
    expect(d.message).toContain("the role 'postgres' and of the role 'app'");
    expect(d.fix).toContain("secret('SHOP_ONE_APP')");
    // Two Pgpools checking with one role share its password by necessity.
    const ok = shop({ pgpool: { password: secret('SHOP_POOL') } });
    new PgPool(ok.cluster, 'pgpool2', { backends: [ok.primary], hostPort: 9998, password: secret('SHOP_POOL') });
    expect(ok.cluster.validate().filter((x) => x.code === 'PGS077')).toEqual([]);
  });
});

describe('image pins', () => {
  it("warns that postgres:latest with postgresVersion 17 cannot be checked, and says why", () => {
    const d = expectWarned(shop({ cluster: { postgresVersion: 17, images: { postgres: 'postgres:latest' } } }).cluster, 'PGS174', 'images.postgres');
    expect(d.path).toBe('shop');
    expect(d.message).toContain("tagged 'latest'");
    expect(d.message).toContain('the major version check cannot be done');
    expect(d.fix).toContain("'postgres:17-bookworm'");
  });

  it('warns for no tag, a tag without the version and a digest; not for a versioned tag', () => {
    const cases: Array<[string, string]> = [
      ['postgres', 'has no tag'],
      ['registry.example:5000/postgres', 'has no tag'],
      ['postgres:bookworm', "the tag 'bookworm'"],
      ['postgres@sha256:' + 'a'.repeat(64), 'pinned by digest'],
    ];
    for (const [image, words] of cases) {
      const d = expectWarned(shop({ r2: { image } }).cluster, 'PGS174', 'image');
      expect(d.path).toBe('shop/pg-replica2');
      expect(d.message).toContain(words);
    }
    for (const image of ['postgres:17', 'postgres:17.2-bookworm', 'registry.example:5000/library/postgres:17-alpine']) {
      expect(shop({ r2: { image } }).cluster.validate().filter((d) => d.code === 'PGS174')).toEqual([]);
    }
    const pool = expectWarned(shop({ pgpool: { image: 'pgpool/pgpool:latest' } }).cluster, 'PGS174', 'image');
    expect(pool.message).toContain('the Pgpool-II version check cannot be done');
  });

  it('refuses the characters YAML reads as line breaks (U+0085, U+2028, U+2029) in an image', () => {
    for (const sep of ['\u0085', '\u2028', '\u2029']) {
      const errors = propsErrors(() => shop({ r2: { image: `postgres:17${sep}privileged: true` } }));
      expect(errors.map((e) => `${e.code} ${e.path} ${e.field}`)).toEqual(['PGS001 shop/pg-replica2 image']);
      expect(errors[0]!.message).toContain('U+2028');
    }
  });
});

describe('string settings checked as the server checks them', () => {
  it("refuses timezone: 'Europe/Pariss' with the zone it meant, on every major", () => {
    for (const postgresVersion of [13, 14, 15, 16, 17] as const) {
      const d = expectRefused(shop({ cluster: { postgresVersion }, primary: { settings: { timezone: 'Europe/Pariss' } } }).cluster, 'PGS302', PRIMARY, 'settings.TimeZone');
      expect(d.message).toContain('is not a time zone this server knows');
      expect(d.fix).toBe("use 'Europe/Paris'");
    }
  });

  it('refuses the empty strings the server refuses, and list, token and encoding mistakes', () => {
    const cases: Array<[string, string, string]> = [
      ['client_encoding', '', 'refuses an empty value'],
      ['timezone_abbreviations', '', 'refuses an empty value'],
      ['default_table_access_method', '', 'refuses an empty value'],
      ['log_destination', 'stderr, eventlog', 'unrecognized key word "eventlog"'],
      ['DateStyle', 'ISO, SQL', 'conflicting "datestyle" specifications'],
      ['search_path', '"$user, public', 'invalid list syntax'],
      ['client_encoding', 'utf-9', 'not an encoding'],
    ];
    for (const [name, value, words] of cases) {
      const [issue] = shop({ primary: { settings: { [name]: value } as never } }).cluster.validate().filter((d) => d.severity === 'error');
      expect(issue?.message, `${name}=${value}`).toContain(words);
    }
  });

  it('accepts the forms the server accepts, and postgres -C 15 agrees', () => {
    const settings = { TimeZone: 'europe/paris', log_timezone: 'UTC+3', client_encoding: 'utf-8', DateStyle: 'Euro, SQL', log_destination: 'stderr,csvlog,jsonlog', search_path: '"$user", public', timezone_abbreviations: 'India' };
    expectWorks(shop({ ...PG15, r1: false, r2: false, pgpool: false, haproxy: false, primary: { settings: settings as never } }).cluster, { compose: false });
  });
});
