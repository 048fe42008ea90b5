// npm run bench: cold CLI runs against `node -e 0`, in-process synthesis at 2/20/200 replicas, and
// `synth --check`. Figures only, no pass/fail: the closing notes record them.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'dist/cli/main.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const ms = (x) => `${x.toFixed(1)} ms`;

function timeCommand(args, cwd) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const r = spawnSync(process.execPath, args, { cwd, stdio: 'ignore' });
    times.push(performance.now() - start);
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
  }
  return median(times);
}

// A consumer project whose `pgsynth` resolves to this checkout's build.
const project = mkdtempSync(join(tmpdir(), 'pgsynth-bench-'));
mkdirSync(join(project, 'node_modules'));
symlinkSync(root, join(project, 'node_modules/pgsynth'));
writeFileSync(join(project, 'package.json'), '{ "type": "module" }\n');
writeFileSync(
  join(project, 'cluster.config.ts'),
  `import { Cluster, Primary, Replica, PgPool, Haproxy } from 'pgsynth';

const cluster = new Cluster({ name: 'shop', postgresVersion: 17 });
const primary = new Primary(cluster, 'pg-primary', { hostPort: 5611, database: 'app' });
const r1 = new Replica(cluster, 'pg-replica1', { primary, hostPort: 5612, synchronous: true });
const r2 = new Replica(cluster, 'pg-replica2', { primary, hostPort: 5613 });
const pgpool = new PgPool(cluster, 'pgpool', { backends: [primary, r1, r2], hostPort: 9999, numInitChildren: 32, maxPool: 4, loadBalance: true });
new Haproxy(cluster, 'haproxy', { upstream: pgpool, readWrite: { hostPort: 5100 }, readOnly: { hostPort: 5101 }, stats: { hostPort: 8406 } });

export default cluster;
`,
);
execFileSync(process.execPath, [cli], { cwd: project, stdio: 'ignore' }); // first run: writes files, fills jiti's cache

// The same example with server settings: validating them loads that major's parameter catalog.
const withSettings = join(project, 'with-settings');
mkdirSync(withSettings);
writeFileSync(
  join(withSettings, 'cluster.config.ts'),
  readFileSync(join(project, 'cluster.config.ts'), 'utf8').replace(
    "{ hostPort: 5611, database: 'app' }",
    "{ hostPort: 5611, database: 'app', settings: { shared_buffers: '1GB', work_mem: '64MB', jit: false } }",
  ),
);
execFileSync(process.execPath, [cli], { cwd: withSettings, stdio: 'ignore' });

const nodeBaseline = timeCommand(['-e', '0'], project);
const synth = timeCommand([cli], project);
const check = timeCommand([cli, '--check'], project);
const synthSettings = timeCommand([cli], withSettings);
const ratio = (t) => `${(t / nodeBaseline).toFixed(2)}× node -e 0`;
console.log(`cold CLI, median of ${RUNS} runs each (README example)`);
console.log(`  node -e 0            ${ms(nodeBaseline)}`);
console.log(`  synth                ${ms(synth)}  (${ratio(synth)}; target ≤ 2.5×)`);
console.log(`  synth --check        ${ms(check)}  (${ratio(check)})`);
console.log(`  synth, with settings ${ms(synthSettings)}  (${ratio(synthSettings)}; loads the PostgreSQL 17 catalog)`);

// In-process validate + render, warm, by cluster size.
const { Cluster, Primary, Replica, PgPool, Haproxy, synthesize } = await import(join(root, 'dist/index.js'));
function clusterWith(replicas) {
  const cluster = new Cluster({ name: 'bench', postgresVersion: 17 });
  const primary = new Primary(cluster, 'pg-primary', { hostPort: 20000, maxReplicationSlots: replicas + 5, maxWalSenders: replicas + 5 });
  const nodes = [primary];
  for (let i = 1; i <= replicas; i++) nodes.push(new Replica(cluster, `pg-replica${i}`, { primary, hostPort: 20000 + i }));
  const pool = new PgPool(cluster, 'pgpool', { backends: nodes, hostPort: 30000 });
  // maxConn admits what the servers take (PGS147): 32 sessions per node through the read-only frontend.
  new Haproxy(cluster, 'haproxy', { upstream: pool, readWrite: { hostPort: 30001 }, readOnly: { hostPort: 30002 }, maxConn: Math.max(2000, 64 * (replicas + 2)) });
  return cluster;
}
console.log('in-process build + validate + render (median of 15)');
const perSize = [];
for (const n of [2, 20, 200]) {
  synthesize(clusterWith(n)); // warm-up
  const times = [];
  for (let i = 0; i < 15; i++) {
    const start = performance.now();
    synthesize(clusterWith(n));
    times.push(performance.now() - start);
  }
  perSize.push([n, median(times)]);
  console.log(`  ${String(n).padStart(3)} replicas        ${ms(median(times))}${n === 200 ? '  (target ≤ 50 ms)' : ''}`);
}
const [[, t20], [, t200]] = perSize.slice(1);
console.log(`  growth 20 → 200: ${(t200 / t20).toFixed(1)}× for 10× the replicas`);

rmSync(project, { recursive: true, force: true });
