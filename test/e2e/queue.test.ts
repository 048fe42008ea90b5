/**
 * Queue, don't drop: clients past the session ceiling (Pgpool's num_init_children) wait in
 * HAProxy's queue, with the real PostgreSQL 15, Pgpool-II and HAProxy started by
 * startLocalCluster. A small ceiling (numInitChildren 4) keeps it cheap.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, test } from 'vitest';
import { Cluster, Haproxy, PgPool, Primary, type HaproxyProps } from '../../src/index.js';
import { backendServers } from '../../src/process/haproxy.js';
import { findFreePorts } from '../support/ports.js';
import { sessionCeilings } from '../../src/model/ceilings.js';
import { startLocalCluster, type LocalCluster } from '../../src/testing-local.js';
import { basicAuth } from '../../src/local/haproxy-stats.js';
import { localStatus } from '../../src/local/status.js';
import { parseHaproxyCsv } from '../../src/process/haproxy.js';
import { sleep, workDir } from './readme-cluster.js';

const CHILDREN = 4;
const dir = workDir('pgsynth-queue-');
const started: LocalCluster[] = [];

interface Ports {
  primary: number;
  pgpool: number;
  pcp: number;
  rw: number;
  stats: number;
}

/** Primary, Pgpool-II with 4 children, HAProxy RW + stats. */
function queueCluster(name: string, ports: Ports, timeouts?: HaproxyProps['timeouts']): Cluster {
  const cluster = new Cluster({ name, postgresVersion: 15 });
  const primary = new Primary(cluster, 'pg-primary', { hostPort: ports.primary, database: 'app' });
  const pgpool = new PgPool(cluster, 'pgpool', { backends: [primary], hostPort: ports.pgpool, pcpHostPort: ports.pcp, numInitChildren: CHILDREN, maxPool: 1, loadBalance: false });
  new Haproxy(cluster, 'haproxy', { upstream: pgpool, readWrite: { hostPort: ports.rw }, stats: { hostPort: ports.stats }, ...(timeouts ? { timeouts } : {}) });
  return cluster;
}

async function start(name: string, timeouts?: HaproxyProps['timeouts']): Promise<{ local: LocalCluster; cluster: Cluster; ports: Ports }> {
  const [primary, pgpoolPort, pcp, rw, stats] = (await findFreePorts(5)) as [number, number, number, number, number];
  const ports = { primary, pgpool: pgpoolPort, pcp, rw, stats };
  const cluster = queueCluster(name, ports, timeouts);
  const local = await startLocalCluster(cluster, { localDir: join(dir, name), env: { PATH: process.env.PATH ?? '' } });
  started.push(local);
  return { local, cluster, ports };
}

/** HAProxy's stats of the Pgpool server (smax: most sessions at once) and of its backend (qmax: most clients queued). */
async function pgpoolServerStats(local: LocalCluster, ports: Ports): Promise<{ smax: number; qmax: number }> {
  const password = Object.entries(local.passwords.byEnv).find(([env]) => env.endsWith('_HAPROXY_STATS_PASSWORD'))?.[1] ?? '';
  const response = await fetch(`http://127.0.0.1:${ports.stats}/;csv;norefresh`, { headers: { authorization: basicAuth('admin', password) } });
  const rows = parseHaproxyCsv(await response.text());
  const [server] = backendServers(rows, 'pgpool');
  const backend = rows.find((r) => r.proxy === 'pgpool' && r.server === 'BACKEND');
  if (!server || !backend) throw new Error('no pgpool backend in the HAProxy stats');
  return { smax: Number(server.fields.smax), qmax: Number(backend.fields.qmax) };
}

/**
 * One persistent client session: connect (possibly after waiting in the queue), five transactions
 * over about 2 s, disconnect. Four waves of them: the last waits about 6 s, past HAProxy's connect
 * timeout (5 s), which is what used to drop queued clients.
 */
async function session(config: pg.ClientConfig, i: number): Promise<{ waitedMs: number; error: string | null }> {
  const begun = performance.now();
  const client = new pg.Client(config);
  client.on('error', () => {});
  let waitedMs = 0;
  try {
    await client.connect();
    waitedMs = performance.now() - begun;
    for (let t = 0; t < 5; t++) {
      await client.query('BEGIN');
      await client.query('INSERT INTO queue_probe (client) VALUES ($1)', [i]);
      await client.query('SELECT pg_sleep(0.4)');
      await client.query('COMMIT');
    }
    return { waitedMs, error: null };
  } catch (error) {
    return { waitedMs: performance.now() - begun, error: error instanceof Error ? error.message : String(error) };
  } finally {
    await client.end().catch(() => {});
  }
}

afterAll(async () => {
  for (const local of started) await local.stop({ purge: true }).catch(() => {});
  if (process.env.PGSYNTH_KEEP_TMP) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('queue, do not drop', () => {
  test(`${4 * CHILDREN} persistent clients through HAProxy RW with the default settings: none fails, at most ${CHILDREN} at once`, async () => {
    const { local, cluster, ports } = await start('queue');
    const ceilings = sessionCeilings(local.spec);
    expect(ceilings.find((c) => c.entry === 'haproxy rw')?.sessions).toBe(CHILDREN);
    expect(ceilings.find((c) => c.entry === 'pgpool')?.sessions).toBe(CHILDREN);
    const rw = local.connection('haproxy');
    await withClient(rw, (c) => c.query('CREATE TABLE queue_probe (client int, at timestamptz DEFAULT now())'));

    const startedAt = performance.now();
    const results = await Promise.all(Array.from({ length: 4 * CHILDREN }, (_, i) => session(rw, i)));
    const wallMs = performance.now() - startedAt;
    const failed = results.filter((r) => r.error !== null);
    const waits = results.map((r) => Math.round(r.waitedMs)).sort((a, b) => a - b);
    const stats = await pgpoolServerStats(local, ports);
    console.log(`queue test: ${results.length} sessions, ${failed.length} failed, wall ${Math.round(wallMs)} ms, connect waits (ms) ${waits.join(' ')}; HAProxy smax ${stats.smax}, qmax ${stats.qmax}`);

    expect(failed).toEqual([]);
    const [row] = (await withClient(rw, (c) => c.query<{ n: string }>('SELECT count(*) AS n FROM queue_probe'))).rows;
    expect(Number(row?.n)).toBe(4 * CHILDREN * 5);
    // HAProxy sent at most the ceiling to Pgpool and queued the rest.
    expect(stats.smax).toBeLessThanOrEqual(CHILDREN);
    expect(stats.qmax).toBeGreaterThanOrEqual(3 * CHILDREN - 1);
    expect(waits.at(-1)).toBeGreaterThan(5_500);
  }, 120_000);

  test('a client queued longer than timeouts.queue gets the documented error: the connection is closed, HAProxy logs sQ', async () => {
    const { local, cluster, ports } = await start('queue-short', { queue: '5s' });
    const rw = local.connection('haproxy');
    const held: pg.Client[] = [];
    try {
      for (let i = 0; i < CHILDREN; i++) {
        const c = new pg.Client(rw);
        c.on('error', () => {});
        await c.connect();
        held.push(c);
      }
      const begun = performance.now();
      const late = new pg.Client(rw);
      late.on('error', () => {});
      const pending = late.connect().then(
        () => null,
        (e: unknown) => (e instanceof Error ? e.message : String(e)),
      );
      // While it waits, synth status shows the ceiling reached and one client queued (its Pgpool
      // line waits up to 2 s for a Pgpool with no free child, hence a 5 s queue here).
      await sleep(500);
      const status = await localStatus(cluster, { localDir: join(dir, 'queue-short'), env: local.passwords.byEnv });
      const sessions = Object.fromEntries(status.services.map((s) => [s.id, s.sessions]));
      console.log(`synth status while queued: ${JSON.stringify(sessions)}`);
      expect(sessions).toMatchObject({ pgpool: `${CHILDREN}/${CHILDREN}`, haproxy: `rw ${CHILDREN}/${CHILDREN}, 1 queued` });
      const error = await pending;
      const waitedMs = performance.now() - begun;
      await late.end().catch(() => {});
      console.log(`queue timeout test: the ${CHILDREN + 1}th client was closed after ${Math.round(waitedMs)} ms with "${error}"`);
      expect(error).toMatch(/Connection terminated unexpectedly|server closed the connection unexpectedly/);
      expect(waitedMs).toBeGreaterThanOrEqual(4_900);
      expect(waitedMs).toBeLessThan(8_000);
      // The held sessions were not touched.
      for (const c of held) expect((await c.query('SELECT 1 AS one')).rows[0]?.one).toBe(1);
      await sleep(200);
      const log = readFileSync(local.spec.haproxies[0]!.paths.logFile, 'utf8');
      expect(log).toMatch(/ rw pgpool\/<NOSRV> .* sQ /);
      expect((await pgpoolServerStats(local, ports)).smax).toBe(CHILDREN);
    } finally {
      for (const c of held) await c.end().catch(() => {});
    }
  }, 120_000);
});

async function withClient<T>(config: pg.ClientConfig, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(config);
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}
