// Backups with the real pgBackRest and PostgreSQL 15 under synth up: a pgbench database of
// BENCH_BACKUP_SCALE (70 ≈ 1.05 GB) on a lone primary with a Backup. Reports the time of
// `synth backup` (full, lz4, 2 processes) and `synth restore --to latest` into a new directory
// plus the start of that copy until it has replayed and promoted, against pg_basebackup
// (-X stream, fast checkpoint) and the start of its copy; then WAL archiving under a pgbench
// write load: how many segments the archiver falls behind, sampled every second, and how long
// it needs to catch up. Uses this checkout's build. Figures only, no pass/fail.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'dist/cli/main.js');
const SCALE = Number(process.env.BENCH_BACKUP_SCALE ?? 70);
const LOAD_SECONDS = Number(process.env.BENCH_BACKUP_LOAD_SECONDS ?? 30);
const BIN = '/usr/lib/postgresql/15/bin';
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const mb = (bytes) => `${(bytes / 1024 ** 2).toFixed(0)} MB`;

for (const tool of [`${BIN}/pgbench`, `${BIN}/pg_basebackup`, '/usr/bin/pgbackrest']) {
  try {
    statSync(tool);
  } catch {
    console.error(`bench-backup: ${tool} is missing: apt-get install --no-install-recommends postgresql-15 pgbackrest`);
    process.exit(1);
  }
}

// As root the servers run as postgres: so do the tools that write their files.
const asRoot = process.getuid?.() === 0;
const pgUid = asRoot ? Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout) : undefined;
const pgGid = asRoot ? Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout) : undefined;
const asPostgres = asRoot ? { uid: pgUid, gid: pgGid } : {};

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

function run(bin, args, opts = {}) {
  const start = performance.now();
  const r = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} exited ${r.status}:\n${r.stdout}${r.stderr}`);
  return { ms, stdout: r.stdout };
}

const synth = (args, cwd) => run(process.execPath, [cli, ...args], { cwd });

function duBytes(dir) {
  return Number(run('du', ['-sb', dir]).stdout.split('\t')[0]);
}

const project = mkdtempSync(join(tmpdir(), 'pgsynth-bench-backup-'));
chmodSync(project, 0o755);
mkdirSync(join(project, 'node_modules'));
symlinkSync(root, join(project, 'node_modules/pgsynth'));
writeFileSync(join(project, 'package.json'), '{ "type": "module" }\n');
const [port, copyPort] = await freePorts(2);
writeFileSync(
  join(project, 'cluster.config.ts'),
  `import { Backup, Cluster, Primary } from 'pgsynth';
const cluster = new Cluster({ name: 'bench', postgresVersion: 15 });
new Primary(cluster, 'pg-primary', { hostPort: ${port}, database: 'app', settings: { max_wal_size: '4GB' } });
new Backup(cluster, 'backup', { retention: { full: 2 } });
export default cluster;
`,
);

const local = join(project, '.pgsynth/local/bench');
const sock = join(local, 'run');
const pgEnv = { ...process.env, PGHOST: sock, PGPORT: String(port), PGUSER: 'postgres', PGDATABASE: 'app' };
const psql = (sql) => run(`${BIN}/psql`, ['-XAtqc', sql], { env: pgEnv }).stdout.trim();

/** A folder the postgres user owns, for restores and base backups. */
function ownedDir(name) {
  const dir = join(project, name);
  mkdirSync(dir, { mode: 0o700 });
  if (asRoot) chownSync(dir, pgUid, pgGid);
  return dir;
}

/** Starts a copy of the data on its own port and socket, waits until it is promoted (out of recovery), stops it. */
function startCopy(dataDir) {
  const copySock = ownedDir(`${dataDir.split('/').pop()}-sock`);
  const start = performance.now();
  const opts = `-c port=${copyPort} -c unix_socket_directories=${copySock} -c listen_addresses='' -c archive_mode=off -c hba_file=${dataDir}/pg_hba.conf`;
  run(`${BIN}/pg_ctl`, ['-D', dataDir, '-o', opts, '-l', `${copySock}/log`, '-w', '-t', '600', 'start'], asPostgres);
  const env = { ...process.env, PGHOST: copySock, PGPORT: String(copyPort), PGUSER: 'postgres', PGDATABASE: 'app' };
  while (run(`${BIN}/psql`, ['-XAtqc', 'SELECT pg_is_in_recovery()'], { env }).stdout.trim() === 't') spawnSync('sleep', ['0.1']);
  const ms = performance.now() - start;
  const rows = run(`${BIN}/psql`, ['-XAtqc', 'SELECT count(*) FROM pgbench_accounts'], { env }).stdout.trim();
  run(`${BIN}/pg_ctl`, ['-D', dataDir, '-m', 'fast', '-w', 'stop'], asPostgres);
  return { ms, rows };
}

function archiverLag() {
  const [current, last] = psql("SELECT pg_walfile_name(pg_current_wal_lsn()) || ' ' || coalesce(last_archived_wal, '') FROM pg_stat_archiver").split(' ');
  if (!last || !/^[0-9A-F]{24}$/.test(last)) return null;
  const seq = (w) => parseInt(w.slice(8, 16), 16) * 256 + parseInt(w.slice(16, 24), 16);
  return Math.max(0, seq(current) - seq(last) - 1);
}

try {
  synth(['up'], project);
  const init = run(`${BIN}/pgbench`, ['-i', '-s', String(SCALE), '-q'], { env: pgEnv });
  const dbSize = Number(psql("SELECT pg_database_size('app')"));
  psql('CHECKPOINT');

  const backup = synth(['backup', '--type', 'full'], project);
  const repoAfterFull = duBytes(join(local, 'backup/repo/backup'));

  const restoreDir = join(project, 'restored');
  const restore = synth(['restore', '--to', 'latest', '--into', restoreDir], project);
  const restoredStart = startCopy(restoreDir);

  const secrets = readFileSync(join(local, 'secrets.env'), 'utf8');
  const replPassword = /BENCH_REPLICATION_PASSWORD=(.*)/.exec(secrets)?.[1] ?? '';
  const baseDir = ownedDir('basebackup');
  const base = run(`${BIN}/pg_basebackup`, ['-h', '127.0.0.1', '-p', String(port), '-U', 'replicator', '-D', baseDir, '-X', 'stream', '-c', 'fast'], {
    env: { ...process.env, PGPASSWORD: replPassword },
    ...asPostgres,
  });
  const baseSize = duBytes(baseDir);
  const baseStart = startCopy(baseDir);

  // WAL archiving under load: pgbench writes for LOAD_SECONDS while the archiver's lag is sampled.
  const lags = [];
  const load = spawn(`${BIN}/pgbench`, ['-c', '4', '-j', '2', '-T', String(LOAD_SECONDS), '-n'], { env: pgEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let loadOut = '';
  load.stdout.on('data', (d) => (loadOut += d));
  const walStart = psql('SELECT pg_current_wal_lsn()');
  const loadDone = new Promise((resolve) => load.on('close', resolve));
  let running = true;
  loadDone.then(() => (running = false));
  while (running) {
    const lag = archiverLag();
    if (lag !== null) lags.push(lag);
    await new Promise((r) => setTimeout(r, 1000));
  }
  const walBytes = Number(psql(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '${walStart}')`));
  const tps = /tps = ([\d.]+)/.exec(loadOut)?.[1] ?? '?';
  const caughtUpStart = performance.now();
  psql('SELECT pg_switch_wal()');
  while ((archiverLag() ?? 1) > 0 && performance.now() - caughtUpStart < 300_000) await new Promise((r) => setTimeout(r, 200));
  const catchUp = performance.now() - caughtUpStart;
  const failed = psql('SELECT failed_count FROM pg_stat_archiver');

  console.log(`pgBackRest 2.45 vs pg_basebackup, PostgreSQL 15, pgbench -i -s ${SCALE}: database ${mb(dbSize)} (init ${seconds(init.ms)})`);
  console.log(`  synth backup --type full (lz4, process-max 2)   ${seconds(backup.ms)}   repository ${mb(repoAfterFull)}`);
  console.log(`  pg_basebackup -X stream -c fast                  ${seconds(base.ms)}   copy ${mb(baseSize)}`);
  console.log(`  synth restore --to latest into a new directory  ${seconds(restore.ms)}`);
  console.log(`    + start until promoted (replay)                ${seconds(restoredStart.ms)}   ${restoredStart.rows} rows`);
  console.log(`  pg_basebackup copy: start until ready (replay)   ${seconds(baseStart.ms)}   ${baseStart.rows} rows`);
  console.log(`  WAL archiving under pgbench -c 4 for ${LOAD_SECONDS} s (${Number(tps).toFixed(0)} tps, ${mb(walBytes)} of WAL, ${(walBytes / 16 / 1024 ** 2).toFixed(0)} segments):`);
  console.log(`    archiver behind: max ${Math.max(0, ...lags)} segment(s), median ${[...lags].sort((a, b) => a - b)[Math.floor(lags.length / 2)] ?? 0}, last ${lags.at(-1) ?? 0}; caught up ${seconds(catchUp)} after the load; failures ${failed}`);
  console.log('  (whole CLI processes; a 2-core machine shared with other work, so figures vary between runs)');
} finally {
  spawnSync(process.execPath, [cli, 'down', '--purge'], { cwd: project, stdio: 'ignore' });
  rmSync(project, { recursive: true, force: true });
}
