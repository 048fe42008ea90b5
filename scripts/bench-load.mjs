// The cost of every hop, measured: pgbench (TPC-B-like, scale BENCH_LOAD_SCALE) on the README
// topology under `synth up` with numInitChildren BENCH_LOAD_CHILDREN, straight to the primary,
// through Pgpool-II, and through HAProxy → Pgpool-II:
//   - persistent connections at numInitChildren (pgbench -c N -T),
//   - persistent connections at 4 × numInitChildren: 4N pgbench processes of one client and
//     BENCH_LOAD_TXNS transactions each, all started at once. One pgbench with -c 4N cannot run
//     through a pool of N sessions: it opens every connection before the first transaction, so
//     the clients past N wait for sessions that never end (a deadlock, not a measurement);
//   - a new connection per transaction at numInitChildren (pgbench -C -c N -T).
// Targets take turns for BENCH_LOAD_REPEAT (3) rounds of BENCH_LOAD_SECONDS (10) each; reports
// median tps and latency, failed sessions, the ratio to direct, and the CPU time each program
// spent per transaction. Figures only, no pass/fail; exits 1 if any session failed. Uses this
// checkout's build (npm run build).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'dist/cli/main.js');
const CHILDREN = Number(process.env.BENCH_LOAD_CHILDREN ?? 16);
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 10);
const SCALE = Number(process.env.BENCH_LOAD_SCALE ?? CHILDREN);
// Extra PgPool props as JSON (e.g. '{"loadBalance":false}'), to compare settings.
const POOL_EXTRA = process.env.BENCH_LOAD_PGPOOL ?? '{}';
const REPEAT = Number(process.env.BENCH_LOAD_REPEAT ?? 3);
const MODES = (process.env.BENCH_LOAD_MODES ?? 'persistent,persistent4,connect').split(',');
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

const TICK = 100; // USER_HZ on Linux
/**
 * CPU seconds used so far by each program of this cluster and this bench: the processes under the
 * cluster's services (from its state file) and under this script (pgbench), exited children
 * included through their parents' cutime. Other users' processes on the machine are left out.
 */
function cpuByProgram(stateFile) {
  const procs = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let stat;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": state ppid … utime(11) stime(12) cutime(13) cstime(14).
    procs.set(Number(pid), { comm, ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / TICK, children: (Number(f[13]) + Number(f[14])) / TICK });
  }
  const roots = new Set([process.pid, ...JSON.parse(readFileSync(stateFile, 'utf8')).services.map((sv) => sv.pid)]);
  const ours = (pid) => {
    for (let p = pid, hops = 0; p > 1 && hops < 20; p = procs.get(p)?.ppid ?? 0, hops++) if (roots.has(p)) return true;
    return false;
  };
  // This script's only children during a run are pgbench processes: the exited ones are in its cutime.
  const out = { postgres: 0, pgpool: 0, haproxy: 0, pgbench: procs.get(process.pid)?.children ?? 0 };
  for (const [pid, p] of procs) {
    const key = Object.keys(out).find((k) => p.comm.startsWith(k));
    if (key && ours(pid)) out[key] += p.cpu;
  }
  return out;
}

/** Busy and total CPU seconds of the whole machine (other users' load included). */
function machineCpu() {
  const [, ...t] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const v = t.map(Number);
  const idle = v[3] + v[4];
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / TICK, total: total / TICK };
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
const pgpool = new PgPool(cluster, 'pgpool', { backends: [primary, r1, r2], hostPort: ${pgpoolPort}, pcpHostPort: ${pcp}, numInitChildren: ${CHILDREN}, maxPool: 4, loadBalance: true, ...${POOL_EXTRA} });
new Haproxy(cluster, 'haproxy', { upstream: pgpool, readWrite: { hostPort: ${rw} }, readOnly: { hostPort: ${ro} }, stats: { hostPort: ${stats} } });

export default cluster;
`,
);

const rows = [];
let failed = 0;
try {
  synth(['up'], project);
  const stateFile = join(project, '.pgsynth/local/shop/state.json');
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
  let txnsPerClient = Number(process.env.BENCH_LOAD_TXNS ?? 0);

  /** One pgbench run of a mode against a port, with the CPU seconds each program spent during it. */
  async function runOnce(mode, port) {
    let r;
    const cpuBefore = cpuByProgram(stateFile);
    const machineBefore = machineCpu();
    if (mode === 'persistent4') {
      // 4N processes of one client each: a client past the ceiling waits for one that finished.
      const begun = performance.now();
      const runs = await Promise.all(
        Array.from({ length: 4 * CHILDREN }, () => pgbench(['-n', '-c', '1', '-t', String(txnsPerClient), '-p', String(port)], env)),
      );
      const wall = (performance.now() - begun) / 1000;
      const parsed = runs.map((x) => ({ ...parse(x.out), code: x.code }));
      const ok = parsed.filter((p) => p.code === 0 && !Number.isNaN(p.txns));
      const txns = ok.reduce((sum, p) => sum + p.txns, 0);
      r = {
        tps: txns / wall,
        latencyMs: ok.reduce((sum, p) => sum + p.latencyMs, 0) / Math.max(ok.length, 1),
        failedSessions: parsed.length - ok.length + ok.reduce((sum, p) => sum + p.aborted, 0),
        failedTxns: ok.reduce((sum, p) => sum + p.failedTxns, 0),
        txns,
      };
    } else {
      const args = ['-n', '-c', String(CHILDREN), '-j', '2', '-T', String(SECONDS), '-p', String(port), ...(mode === 'connect' ? ['-C'] : [])];
      const x = await pgbench(args, env);
      const p = parse(x.out);
      r = { tps: p.tps, latencyMs: p.latencyMs, failedSessions: p.aborted + (x.code === 0 ? 0 : 1), failedTxns: p.failedTxns, txns: p.txns || 0 };
    }
    const cpuAfter = cpuByProgram(stateFile);
    const machineAfter = machineCpu();
    r.cpuSec = Object.fromEntries(Object.keys(cpuAfter).map((k) => [k, cpuAfter[k] - cpuBefore[k]]));
    r.busy = machineAfter.busy - machineBefore.busy;
    r.total = machineAfter.total - machineBefore.total;
    return r;
  }

  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  for (const [mode, label] of [
    ['persistent', `persistent, ${CHILDREN} clients`],
    ['persistent4', `persistent, ${4 * CHILDREN} clients`],
    ['connect', `new connection per transaction (-C), ${CHILDREN} clients`],
  ].filter(([m]) => MODES.includes(m))) {
    // Targets take turns, REPEAT rounds: the machine's load drifts (other users), so a target is
    // compared with the direct run of its own round and the medians are reported.
    const byTarget = targets.map(() => []);
    for (let round = 0; round < REPEAT; round++) {
      for (const [i, [target, port]] of targets.entries()) {
        const r = await runOnce(mode, port);
        byTarget[i].push(r);
        // Size the 4× runs to last about as long as the others.
        if (mode === 'persistent' && i === 0 && !txnsPerClient) txnsPerClient = Math.max(20, Math.round((r.tps * SECONDS) / (4 * CHILDREN)));
        console.error(`  ${label.padEnd(50)} ${target.padEnd(20)} round ${round + 1}: ${r.tps.toFixed(0).padStart(6)} tps`);
      }
    }
    for (const [i, [target]] of targets.entries()) {
      const runs = byTarget[i];
      const ratios = runs.map((r, round) => r.tps / byTarget[0][round].tps);
      const txns = runs.reduce((sum, r) => sum + r.txns, 0);
      const cpu = Object.fromEntries(Object.keys(runs[0].cpuSec).map((k) => [k, txns ? (runs.reduce((sum, r) => sum + r.cpuSec[k], 0) * 1000) / txns : NaN]));
      const row = {
        label,
        target,
        tps: median(runs.map((r) => r.tps)),
        latencyMs: median(runs.map((r) => r.latencyMs)),
        failedSessions: runs.reduce((sum, r) => sum + r.failedSessions, 0),
        failedTxns: runs.reduce((sum, r) => sum + r.failedTxns, 0),
        ratio: median(ratios),
        ratioRange: `${Math.round(Math.min(...ratios) * 100)}–${Math.round(Math.max(...ratios) * 100)} %`,
        cpu,
        machineBusy: runs.reduce((sum, r) => sum + r.busy, 0) / runs.reduce((sum, r) => sum + r.total, 0),
        note: mode === 'persistent4' ? `${4 * CHILDREN} × ${txnsPerClient} txns per round` : `${txns} txns in ${runs.length} runs`,
      };
      failed += row.failedSessions + row.failedTxns;
      rows.push(row);
    }
  }
} finally {
  spawnSync(process.execPath, [cli, 'down', '--purge'], { cwd: project, stdio: 'ignore' });
  rmSync(project, { recursive: true, force: true });
}

console.log(`pgbench TPC-B-like, scale ${SCALE}, README topology (sync + async standby), numInitChildren ${CHILDREN}, PgPool extra ${POOL_EXTRA}, ${SECONDS} s runs × ${REPEAT} rounds, PostgreSQL 15 / Pgpool-II / HAProxy on 127.0.0.1`);
console.log('| clients | target | tps (median) | latency avg (median) | failed sessions | failed txns | vs direct (median, range over rounds) | runs |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |');
for (const r of rows) {
  console.log(`| ${r.label} | ${r.target} | ${r.tps.toFixed(0)} | ${r.latencyMs.toFixed(1)} ms | ${r.failedSessions} | ${r.failedTxns} | ${(r.ratio * 100).toFixed(0)} % (${r.ratioRange}) | ${r.note} |`);
}
console.log('');
console.log('Where the time goes: CPU milliseconds per transaction by program, over all rounds (postgres: every process of the cluster, background work and exited backends included), and how busy the 2-core machine was (other users included)');
console.log('| clients | target | postgres | pgpool | haproxy | pgbench | machine busy |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
const f = (x) => (Number.isFinite(x) ? x.toFixed(2) : '?');
for (const r of rows) {
  console.log(`| ${r.label} | ${r.target} | ${f(r.cpu.postgres)} | ${f(r.cpu.pgpool)} | ${f(r.cpu.haproxy)} | ${f(r.cpu.pgbench)} | ${(r.machineBusy * 100).toFixed(0)} % |`);
}
if (failed > 0) process.exitCode = 1;
