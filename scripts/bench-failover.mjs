// Failover figures on the local target (README topology with a synchronous quorum, PostgreSQL 15,
// default failover settings), with this checkout's build: BENCH_FAILOVERS (10) times kill -9 of
// whichever node is primary (its process group) under a writer through HAProxy RW, the time to
// the acknowledgment of the first write sent after the kill and acknowledged by the new primary
// (RTO: sessions of the killed postmaster can still commit for a moment), then the old primary
// rejoined; and BENCH_SWITCHOVERS (3) planned switchovers, the longest time without an
// acknowledgment (write downtime).
// Every acknowledged id is checked on the final primary. Figures only, no pass/fail.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const root = new URL('..', import.meta.url).pathname;
const { Cluster, Primary, Replica, PgPool, Haproxy } = await import(join(root, 'dist/index.js'));
const { startLocalCluster } = await import(join(root, 'dist/testing.js'));
const FAILOVERS = Number(process.env.BENCH_FAILOVERS ?? 10);
const SWITCHOVERS = Number(process.env.BENCH_SWITCHOVERS ?? 3);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => sorted(xs)[Math.floor(xs.length / 2)];
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

function isPortFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function freePorts(count) {
  const ports = new Set();
  while (ports.size < count) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (!ports.has(port) && (await isPortFree(port))) ports.add(port);
  }
  return [...ports];
}

const [p0, p1, p2, pool, pcp, rw, ro] = await freePorts(7);
const cluster = new Cluster({ name: 'bench', postgresVersion: 15 });
const primary = new Primary(cluster, 'pg-primary', { hostPort: p0, database: 'app', synchronousStandbyNames: 'ANY 1 ("pg-replica1", "pg-replica2")' });
const r1 = new Replica(cluster, 'pg-replica1', { primary, hostPort: p1 });
const r2 = new Replica(cluster, 'pg-replica2', { primary, hostPort: p2 });
const pgpool = new PgPool(cluster, 'pgpool', { backends: [primary, r1, r2], hostPort: pool, pcpHostPort: pcp, numInitChildren: 16, maxPool: 2 });
new Haproxy(cluster, 'haproxy', { upstream: pgpool, readWrite: { hostPort: rw }, readOnly: { hostPort: ro } });

const dir = mkdtempSync(join(tmpdir(), 'pgsynth-bench-failover-'));
chmodSync(dir, 0o755);
const local = await startLocalCluster(cluster, { localDir: join(dir, 'local') });
const acked = [];
const sentAt = [];
/** When each acknowledgment arrived: a write sent before a stop may be acknowledged long after it. */
const ackedAt = [];
/** The port of the server that acknowledged each write: only the new primary's count as recovered. */
const servedBy = [];
let running = true;
let nextId = 1;

async function writer(deadline) {
  while (running && Date.now() < deadline) {
    const client = new pg.Client({ ...local.connection('haproxy'), connectionTimeoutMillis: 2_000, query_timeout: 10_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      while (running && Date.now() < deadline) {
        const id = nextId++;
        const sent = Date.now();
        const { rows } = await client.query('INSERT INTO acked (id) VALUES ($1) RETURNING inet_server_port() AS port', [id]);
        acked.push(id);
        sentAt.push(sent);
        ackedAt.push(Date.now());
        servedBy.push(rows[0].port);
      }
    } catch {
      await sleep(20);
    } finally {
      await client.end().catch(() => {});
    }
  }
}

/**
 * Milliseconds from `since` to the first write sent after it and acknowledged by another server
 * than `oldPort`: a killed postmaster's sessions live on for a moment and can still commit.
 */
async function firstAckAfter(since, oldPort) {
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; await sleep(20)) {
    const i = sentAt.findIndex((t, j) => t > since && servedBy[j] !== oldPort);
    if (i >= 0) return ackedAt[i] - since;
  }
  throw new Error('no write acknowledged within 120 s');
}

/** The longest time between two acknowledgments (or `from` and the first) in [from, to]. */
const longestGap = (from, to) => {
  const times = [from, ...ackedAt.filter((t) => t > from && t <= to)];
  return Math.max(...times.slice(1).map((t, i) => t - times[i]));
};

try {
  const client = new pg.Client(local.connection('pg-primary'));
  await client.connect();
  await client.query('CREATE TABLE acked (id int PRIMARY KEY)');
  await client.end();
  const writing = writer(Date.now() + 30 * 60_000);
  await firstAckAfter(Date.now() - 1, -1);

  const rto = [];
  for (let i = 0; i < FAILOVERS; i++) {
    const old = await local.primary();
    await sleep(500);
    const killedAt = Date.now();
    await local.killService(old, 'SIGKILL');
    rto.push(await firstAckAfter(killedAt, local.spec.postgres.find((n) => n.id === old).port.listenPort));
    await local.startService(old);
  }
  const downtime = [];
  for (let i = 0; i < SWITCHOVERS; i++) {
    const old = await local.primary();
    const target = ['pg-primary', 'pg-replica1', 'pg-replica2'].find((n) => n !== old);
    await sleep(500);
    const started = Date.now();
    await local.switchover(target);
    await firstAckAfter(Date.now(), -1);
    downtime.push(longestGap(started, Date.now()));
  }
  running = false;
  await writing;

  const now = await local.primary();
  const check = new pg.Client(local.connection(now, { user: 'postgres', database: 'app' }));
  await check.connect();
  const { rows } = await check.query('SELECT count(*)::int AS n FROM acked WHERE id = ANY($1::int[])', [acked]);
  await check.end();
  const lost = acked.length - rows[0].n;
  console.log(`failover (kill -9 of the primary → first acknowledged write through HAProxy RW), ${FAILOVERS} runs: median ${seconds(median(rto))}, worst ${seconds(Math.max(...rto))} [${rto.map(seconds).join(', ')}]`);
  console.log(`switchover write downtime, ${SWITCHOVERS} runs: median ${seconds(median(downtime))}, worst ${seconds(Math.max(...downtime))} [${downtime.map(seconds).join(', ')}]`);
  console.log(`acknowledged writes: ${acked.length}, lost: ${lost}`);
} finally {
  running = false;
  // PGSYNTH_KEEP_TMP=1 keeps the servers' logs for a run that failed.
  await local.stop({ purge: !process.env.PGSYNTH_KEEP_TMP });
  if (process.env.PGSYNTH_KEEP_TMP) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
