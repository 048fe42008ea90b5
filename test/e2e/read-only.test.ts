/**
 * The read-only entry point does what its name says, with the real PostgreSQL 15, Pgpool-II and
 * HAProxy started by startLocalCluster: HAProxy RO reaches the standbys only (never a write),
 * keeps serving while blocked writers take every Pgpool child, and while a standby is lost.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Cluster, Haproxy, PgPool, Primary, Replica } from '../../src/index.js';
import { findFreePorts } from '../support/ports.js';
import { startLocalCluster, type LocalCluster } from '../../src/testing-local.js';
import { eventually, sql, workDir } from './readme-cluster.js';

const CHILDREN = 4;
const dir = workDir('pgsynth-ro-');
let local: LocalCluster;

const rw = () => local.connection('haproxy');
const ro = () => local.connection('haproxy', { frontend: 'ro' });

beforeAll(async () => {
  const [primaryPort, r1Port, r2Port, pgpoolPort, pcp, rwPort, roPort, stats] = (await findFreePorts(8)) as number[];
  const cluster = new Cluster({ name: 'reads', postgresVersion: 15 });
  const primary = new Primary(cluster, 'pg-primary', { hostPort: primaryPort!, database: 'app' });
  // pg-replica1 synchronous: with it down every commit blocks, as in the issue.
  const r1 = new Replica(cluster, 'pg-replica1', { primary, hostPort: r1Port!, synchronous: true });
  const r2 = new Replica(cluster, 'pg-replica2', { primary, hostPort: r2Port! });
  const pgpool = new PgPool(cluster, 'pgpool', { backends: [primary, r1, r2], hostPort: pgpoolPort!, pcpHostPort: pcp!, numInitChildren: CHILDREN, maxPool: 1 });
  new Haproxy(cluster, 'haproxy', { upstream: pgpool, readWrite: { hostPort: rwPort! }, readOnly: { hostPort: roPort! }, stats: { hostPort: stats! } });
  local = await startLocalCluster(cluster, { localDir: join(dir, 'local'), env: { PATH: process.env.PATH ?? '' } });
  await sql(rw(), 'CREATE TABLE items (id int PRIMARY KEY)');
  await sql(rw(), 'INSERT INTO items VALUES (1)');
}, 120_000);

afterAll(async () => {
  await local?.stop({ purge: true });
  if (process.env.PGSYNTH_KEEP_TMP) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}, 60_000);

async function readThroughRo(): Promise<number> {
  const [row] = await sql<{ n: string }>(ro(), 'SELECT count(*) AS n FROM items WHERE id < 10');
  return Number(row?.n);
}

describe('HAProxy read-only over Pgpool', () => {
  test('reads a standby and refuses every write', async () => {
    expect(await eventually(async () => (await readThroughRo()) === 1, 'the row on the standbys')).toBe(true);
    const [where] = await sql<{ standby: boolean }>(ro(), 'SELECT pg_is_in_recovery() AS standby');
    expect(where?.standby).toBe(true);
    for (let i = 0; i < 4; i++) {
      await expect(sql(ro(), 'INSERT INTO items VALUES (100)')).rejects.toThrow(/read-only transaction/);
      // A session that turns read-write off is still on a standby.
      await expect(sql(ro(), 'SET default_transaction_read_only = off; INSERT INTO items VALUES (101)')).rejects.toThrow(/read-only transaction/);
    }
    const [row] = await sql<{ n: string }>(rw(), 'SELECT count(*) AS n FROM items WHERE id >= 100');
    expect(Number(row?.n)).toBe(0);
  });

  test(`keeps reading while blocked writers take every Pgpool child (the synchronous standby down, ${CHILDREN} commits waiting)`, async () => {
    await local.stopService('pg-replica1');
    const writers: pg.Client[] = [];
    const commits: Promise<unknown>[] = [];
    try {
      for (let i = 0; i < CHILDREN; i++) {
        const c = new pg.Client(rw());
        c.on('error', () => {});
        await c.connect();
        writers.push(c);
        commits.push(c.query('INSERT INTO items VALUES ($1)', [10 + i]));
      }
      // Every child of Pgpool now waits for a commit that the missing standby has to confirm.
      const stuck = await Promise.race([Promise.all(commits).then(() => false), new Promise((resolve) => setTimeout(() => resolve(true), 1_000))]);
      expect(stuck).toBe(true);
      for (let i = 0; i < 5; i++) {
        const begun = performance.now();
        expect(await readThroughRo()).toBe(1);
        expect(performance.now() - begun).toBeLessThan(2_000);
      }
    } finally {
      // Its start waits for Pgpool to attach the node again, asking a Pgpool whose children are
      // all still blocked: that wait may time out while the commits finish; a second start then
      // only waits for the attach.
      await local.startService('pg-replica1').catch(() => {});
      await Promise.allSettled(commits);
      for (const c of writers) await c.end().catch(() => {});
      await local.startService('pg-replica1');
    }
    // Through Pgpool right after it attached the standby again: its children restart, so a session
    // opened at that instant may be cut and is opened again.
    const [row] = await eventually(() => sql<{ n: string }>(rw(), 'SELECT count(*) AS n FROM items WHERE id >= 10 AND id < 100'), 'a read through RW');
    expect(Number(row?.n)).toBe(CHILDREN);
  }, 90_000);

  test('keeps reading while a standby is lost: no read fails, before or after HAProxy marks it down', async () => {
    await local.stopService('pg-replica2');
    const failures: string[] = [];
    const started = performance.now();
    let reads = 0;
    // About 12 s: past HAProxy's fall 3 × inter 3s, so both windows are covered.
    while (performance.now() - started < 12_000) {
      try {
        expect(await readThroughRo()).toBe(1);
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
      reads++;
    }
    console.log(`read-only test: ${reads} sessions through RO with pg-replica2 stopped, ${failures.length} failed`);
    expect(failures).toEqual([]);
  }, 60_000);
});
