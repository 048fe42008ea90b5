// The cost of every hop, measured: pgbench (TPC-B-like, scale BENCH_LOAD_SCALE) on the README
// topology under `synth up` with numInitChildren BENCH_LOAD_CHILDREN, straight to the primary,
// through Pgpool-II, and through HAProxy → Pgpool-II:
//   - persistent connections at numInitChildren (pgbench -c N -T),
//   - persistent connections at 4 × numInitChildren: 4N pgbench processes of one client and
//     BENCH_LOAD_TXNS transactions each, all started at once. One pgbench with -c 4N cannot run
//     through a pool of N sessions: it opens every connection before the first transaction, so
//     the clients past N wait for sessions that never end (a deadlock, not a measurement);
//   - a new connection per transaction at numInitChildren (pgbench -C -c N -T).
// Reports tps, mean latency, failed sessions and the ratio to direct. Figures only, no pass/fail;
// exits 1 if any session failed. Uses this checkout's build (npm run build).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'dist/cli/main.js');
const CHILDREN = Number(process.env.BENCH_LOAD_CHILDREN ?? 16);
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 15);
const SCALE = Number(process.env.BENCH_LOAD_SCALE ?? CHILDREN);
const PGBENCH = ['/usr/lib/postgresql/15/bin/pgbench', '/usr/bin/pgbench'].find((p) => existsSync(p));
if (!PGBENCH) {
  console.error('bench-load: pgbench not found; install it with: apt-get install --no-install-recommends postgresql-client-15');
  process.exit(2);
}

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

function synth(args, cwd) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`synth ${args.join(' ')} exited ${r.status}:\n${r.stdout}${r.stderr}`);
}

/** Runs pgbench; resolves with its output and exit code. */
function pgbench(args, env) {
  return new Promise((resolve) => {
    const child = spawn(PGBENCH, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

const num = (re, text) => {
  const m = re.exec(text);
  return m ? Number(m[1]) : NaN;
};

/** Transactions, failed transactions, mean latency and aborted clients of one pgbench output. */
function parse(out) {
  return {
    txns: num(/number of transactions actually processed: (\d+)/, out),
    failedTxns: num(/number of failed transactions: (\d+)/, out) || 0,
    latencyMs: num(/latency average = ([\d.]+) ms/, out),
    tps: num(/tps = ([\d.]+)/, out),
    aborted: (out.match(/client \d+ aborted|could not create connection|connection to server .* failed/g) ?? []).length,
  };
}

const project = mkdtempSync(join(tmpdir(), 'pgsynth-bench-load-'));
chmodSync(project, 0o755);
mkdirSync(join(project, 'node_modules'));
symlinkSync(root, join(project, 'node_modules/pgsynth'));
writeFileSync(join(project, 'package.json'), '{ "type": "module" }\n');
const [primary, replica1, replica2, pgpoolPort, pcp, rw, ro, stats] = await freePorts(8);
writeFileSync(
  join(project, 'cluster.config.ts'),
  `import { Cluster, Primary, Replica, PgPool, Haproxy } from 'pgsynth';

const cluster = new Cluster({ name: 'shop', postgresVersion: 15 });
const primary = new Primary(cluster, 'pg-primary', { hostPort: ${primary}, database: 'app' });
const r1 = new Replica(cluster, 'pg-replica1', { primary, hostPort: ${replica1}, synchronous: true });
const r2 = new Replica(cluster, 'pg-replica2', { primary, hostPort: ${replica2} });
const pgpool = new PgPool(cluster, 'pgpool', { backends: [primary, r1, r2], hostPort: ${pgpoolPort}, pcpHostPort: ${pcp}, numInitChildren: ${CHILDREN}, maxPool: 4, loadBalance: true });
new Haproxy(cluster, 'haproxy', { upstream: pgpool, readWrite: { hostPort: ${rw} }, readOnly: { hostPort: ${ro} }, stats: { hostPort: ${stats} } });

export default cluster;
`,
);

const rows = [];
let failed = 0;
try {
  synth(['up'], project);
  const secrets = readFileSync(join(project, '.pgsynth/local/shop/secrets.env'), 'utf8');
  const password = /^SHOP_APP_PASSWORD=(.*)$/m.exec(secrets)?.[1];
  if (!password) throw new Error('no SHOP_APP_PASSWORD in secrets.env');
  const env = { PATH: process.env.PATH, PGPASSWORD: password, PGUSER: 'app', PGDATABASE: 'app', PGHOST: '127.0.0.1' };
  const init = await pgbench(['-i', '-q', '-s', String(SCALE), '-p', String(primary)], env);
  if (init.code !== 0) throw new Error(`pgbench -i failed:\n${init.out}`);

  const targets = [
    ['direct (primary)', primary],
    ['Pgpool-II', pgpoolPort],
    ['HAProxy → Pgpool-II', rw],
  ];
  const direct = {};
  let txnsPerClient = Number(process.env.BENCH_LOAD_TXNS ?? 0);
  for (const [mode, label] of [
    ['persistent', `persistent, ${CHILDREN} clients`],
    ['persistent4', `persistent, ${4 * CHILDREN} clients`],
    ['connect', `new connection per transaction (-C), ${CHILDREN} clients`],
  ]) {
    for (const [target, port] of targets) {
      let r;
      if (mode === 'persistent4') {
        // 4N processes of one client each: a client past the ceiling waits for one that finished.
        const begun = performance.now();
        const runs = await Promise.all(
          Array.from({ length: 4 * CHILDREN }, () => pgbench(['-n', '-c', '1', '-t', String(txnsPerClient), '-p', String(port)], env)),
        );
        const wall = (performance.now() - begun) / 1000;
        const parsed = runs.map((x) => ({ ...parse(x.out), code: x.code }));
        const ok = parsed.filter((p) => p.code === 0 && !Number.isNaN(p.txns));
        const txns = ok.reduce((s, p) => s + p.txns, 0);
        r = {
          tps: txns / wall,
          latencyMs: ok.reduce((s, p) => s + p.latencyMs, 0) / Math.max(ok.length, 1),
          failedSessions: parsed.length - ok.length + ok.reduce((s, p) => s + p.aborted, 0),
          failedTxns: ok.reduce((s, p) => s + p.failedTxns, 0),
          note: `${4 * CHILDREN} × ${txnsPerClient} txns in ${wall.toFixed(1)} s`,
        };
      } else {
        const args = ['-n', '-c', String(CHILDREN), '-j', '2', '-T', String(SECONDS), '-p', String(port), ...(mode === 'connect' ? ['-C'] : [])];
        const x = await pgbench(args, env);
        const p = parse(x.out);
        r = { tps: p.tps, latencyMs: p.latencyMs, failedSessions: p.aborted + (x.code === 0 ? 0 : 1), failedTxns: p.failedTxns, note: `${p.txns} txns` };
        // Size the 4× runs to last about as long as the others.
        if (mode === 'persistent' && target.startsWith('direct') && !txnsPerClient) txnsPerClient = Math.max(20, Math.round((p.tps * SECONDS) / (4 * CHILDREN)));
      }
      if (target.startsWith('direct')) direct[mode] = r.tps;
      failed += r.failedSessions + r.failedTxns;
      rows.push({ label, target, ...r, ratio: r.tps / direct[mode] });
      console.error(`  ${label.padEnd(50)} ${target.padEnd(20)} ${r.tps.toFixed(0).padStart(6)} tps`);
    }
  }
} finally {
  spawnSync(process.execPath, [cli, 'down', '--purge'], { cwd: project, stdio: 'ignore' });
  rmSync(project, { recursive: true, force: true });
}

console.log(`pgbench TPC-B-like, scale ${SCALE}, README topology (sync + async standby), numInitChildren ${CHILDREN}, ${SECONDS} s runs, PostgreSQL 15 / Pgpool-II / HAProxy on 127.0.0.1`);
console.log('| clients | target | tps | latency avg | failed sessions | failed txns | vs direct | run |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |');
for (const r of rows) {
  console.log(`| ${r.label} | ${r.target} | ${r.tps.toFixed(0)} | ${r.latencyMs.toFixed(1)} ms | ${r.failedSessions} | ${r.failedTxns} | ${(r.ratio * 100).toFixed(0)} % | ${r.note} |`);
}
if (failed > 0) process.exitCode = 1;
