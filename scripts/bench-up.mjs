// `synth up` → ready and `synth down` for the README topology (PostgreSQL 15, free ports) with
// the real binaries, median of BENCH_UP_RUNS (3) runs: from nothing, and again on the existing
// data after a down. Uses this checkout's build (npm run build). Figures only, no pass/fail.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'dist/cli/main.js');
const RUNS = Number(process.env.BENCH_UP_RUNS ?? 3);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

function isPortFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Free ports below the ephemeral range, so the cluster's own outgoing connections cannot take one first. */
async function freePorts(count) {
  const ports = new Set();
  while (ports.size < count) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (!ports.has(port) && (await isPortFree(port))) ports.add(port);
  }
  return [...ports];
}

function synth(args, cwd) {
  const start = performance.now();
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`synth ${args.join(' ')} exited ${r.status}:\n${r.stdout}${r.stderr}`);
  return ms;
}

// A consumer project whose `pgsynth` resolves to this checkout's build; the postgres OS user must
// traverse it (mkdtemp makes it 0700).
const project = mkdtempSync(join(tmpdir(), 'pgsynth-bench-up-'));
chmodSync(project, 0o755);
mkdirSync(join(project, 'node_modules'));
symlinkSync(root, join(project, 'node_modules/pgsynth'));
writeFileSync(join(project, 'package.json'), '{ "type": "module" }\n');
const [primary, replica1, replica2, pgpool, pcp, rw, ro, stats] = await freePorts(8);
writeFileSync(
  join(project, 'cluster.config.ts'),
  `import { Cluster, Primary, Replica, PgPool, Haproxy } from 'pgsynth';

const cluster = new Cluster({ name: 'shop', postgresVersion: 15 });
const primary = new Primary(cluster, 'pg-primary', { hostPort: ${primary}, database: 'app' });
const r1 = new Replica(cluster, 'pg-replica1', { primary, hostPort: ${replica1}, synchronous: true });
const r2 = new Replica(cluster, 'pg-replica2', { primary, hostPort: ${replica2} });
const pgpool = new PgPool(cluster, 'pgpool', { backends: [primary, r1, r2], hostPort: ${pgpool}, pcpHostPort: ${pcp}, numInitChildren: 32, maxPool: 4, loadBalance: true });
new Haproxy(cluster, 'haproxy', { upstream: pgpool, readWrite: { hostPort: ${rw} }, readOnly: { hostPort: ${ro} }, stats: { hostPort: ${stats} } });

export default cluster;
`,
);

const fresh = [];
const restart = [];
const down = [];
try {
  for (let i = 0; i < RUNS; i++) {
    fresh.push(synth(['up'], project));
    down.push(synth(['down'], project));
    restart.push(synth(['up'], project));
    synth(['down', '--purge'], project);
  }
} finally {
  spawnSync(process.execPath, [cli, 'down', '--purge'], { cwd: project, stdio: 'ignore' });
  rmSync(project, { recursive: true, force: true });
}
console.log(`synth up / down, README topology on PostgreSQL 15 (median of ${RUNS}; whole CLI process, config loading included)`);
console.log(`  up from nothing → ready      ${seconds(median(fresh))}`);
console.log(`  up on existing data → ready  ${seconds(median(restart))}`);
console.log(`  down                         ${seconds(median(down))}`);
