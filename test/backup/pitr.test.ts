/**
 * Backups and point-in-time recovery with the real pgBackRest and PostgreSQL 15: a primary and a
 * standby started by startLocalCluster with a Backup, a restore to a time T into a new data
 * directory that is started and queried, retention, a damaged archive, and archiving after a
 * promotion. One cluster for the whole file; the tests run in order.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Backup, Cluster, Primary, Replica } from '../../src/index.js';
import { findPostgresBinaries } from '../../src/process/binaries.js';
import { findFreePorts } from '../support/ports.js';
import { chownTree, resolveRunAs, runTool } from '../../src/process/run-as.js';
import { startLocalCluster, type LocalCluster } from '../../src/testing-local.js';
import { contextForSpec, type BackupContext } from '../../src/local/backup/context.js';
import { backupStatusLine, checkBackups, listBackups, restoreBackup, takeBackup } from '../../src/local/backup/index.js';
import { localStatus } from '../../src/local/status.js';
import { sql, sleep, workDir } from '../e2e/readme-cluster.js';

const dir = workDir('pgsynth-backup-');
const localDir = join(dir, 'local');
const runAs = resolveRunAs();
let local: LocalCluster;
let ctx: BackupContext;
let ports: number[];

const su = (id: string) => local.connection(id, { user: 'postgres' });
const app = (id: string) => local.connection(id);

/** Forces a WAL switch and waits until the archiver has pushed that segment. */
async function archiveNow(id: string): Promise<void> {
  const [row] = await sql<{ wal: string }>(su(id), 'SELECT pg_walfile_name(pg_switch_wal()) AS wal');
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [a] = await sql<{ last: string | null }>(su(id), 'SELECT last_archived_wal AS last FROM pg_stat_archiver');
    if (a?.last && /^[0-9A-F]{24}$/.test(a.last) && a.last >= row!.wal) return;
    if (Date.now() > deadline) throw new Error(`segment ${row!.wal} not archived within 30 s`);
    await sleep(100);
  }
}

/** Starts a restored data directory on its own port and socket, runs `fn` against it as the superuser, stops it. */
async function withRestored<T>(dataDir: string, fn: (conn: { host: string; port: number; user: string; password: string; database: string }) => Promise<T>): Promise<T> {
  const bin = findPostgresBinaries(15).binDir;
  const sock = `${dataDir}-sock`;
  mkdirSync(sock, { recursive: true });
  chownTree(sock, runAs.uid, runAs.gid);
  const port = ports[2]!;
  const opts = `-c port=${port} -c unix_socket_directories=${sock} -c listen_addresses=''`;
  await runTool(join(bin, 'pg_ctl'), ['-D', dataDir, '-o', opts, '-l', `${sock}/server.log`, '-w', '-t', '60', 'start'], { runAs, timeoutMs: 90_000 });
  const conn = { host: sock, port, user: 'postgres', password: '', database: 'app' };
  try {
    // Hot standby answers while it still replays: wait for the promotion at the target.
    const deadline = Date.now() + 60_000;
    while ((await sql<{ r: boolean }>(conn, 'SELECT pg_is_in_recovery() AS r'))[0]!.r) {
      if (Date.now() > deadline) throw new Error(`${dataDir} still in recovery after 60 s; see ${sock}/server.log`);
      await sleep(100);
    }
    return await fn(conn);
  } finally {
    await runTool(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop'], { runAs, timeoutMs: 60_000 });
  }
}

function archiveSegments(): string[] {
  const root = join(ctx.backup.repository.path, 'archive', ctx.backup.stanza);
  const files: string[] = [];
  for (const id of readdirSync(root).filter((d) => /^\d+-\d+$/.test(d))) {
    for (const prefix of readdirSync(join(root, id)).filter((d) => /^[0-9A-F]{16}$/.test(d))) {
      for (const f of readdirSync(join(root, id, prefix))) if (/^[0-9A-F]{24}-/.test(f)) files.push(join(root, id, prefix, f));
    }
  }
  return files.sort();
}

function clusterOf(): Cluster {
  const cluster = new Cluster({ name: 'bk', postgresVersion: 15 });
  const primary = new Primary(cluster, 'pg-primary', { hostPort: ports[0]! });
  new Replica(cluster, 'pg-replica1', { primary, hostPort: ports[1]! });
  new Backup(cluster, 'backup', { retention: { full: 2 }, archiveTimeout: 10 });
  return cluster;
}

beforeAll(async () => {
  ports = await findFreePorts(3);
  local = await startLocalCluster(clusterOf(), { localDir, env: { PATH: process.env.PATH ?? '' } });
  ctx = contextForSpec(local.spec);
}, 120_000);

afterAll(async () => {
  await local?.stop({ purge: true });
  if (process.env.PGSYNTH_KEEP_TMP) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('pgBackRest under startLocalCluster', () => {
  test('1 every node archives with the same command, and the stanza exists after up', async () => {
    for (const id of ['pg-primary', 'pg-replica1']) {
      const rows = await sql<{ name: string; setting: string }>(su(id), "SELECT name, setting FROM pg_settings WHERE name IN ('archive_mode', 'archive_command', 'archive_timeout') ORDER BY name");
      expect(rows.map((r) => r.name)).toEqual(['archive_command', 'archive_mode', 'archive_timeout']);
      expect(rows[0]!.setting).toMatch(/^pgbackrest --config-path=\S+\/pgbackrest --stanza=bk archive-push %p$/);
      expect(rows[1]!.setting).toBe('on');
      expect(rows[2]!.setting).toBe('10');
    }
    expect(existsSync(join(ctx.backup.repository.path, 'backup', 'bk', 'backup.info'))).toBe(true);
    expect(ctx.backup.repository.path).toBe(join(localDir, 'backup', 'repo'));
  });

  let T = '';
  let restoreDir = '';
  test('2 full backup, writes, T, more writes and a DROP TABLE; restore to T into a new directory has exactly the rows before T', async () => {
    const first = await takeBackup(ctx, 'full');
    expect(first.node).toBe('pg-primary');
    expect(first.backup.type).toBe('full');
    await sleep(1_100); // the backup's stop time has whole seconds: T must come after it
    await sql(app('pg-primary'), 'CREATE TABLE items (id int PRIMARY KEY, note text)');
    await sql(app('pg-primary'), "INSERT INTO items SELECT g, 'before' FROM generate_series(1, 100) g");
    const [row] = await sql<{ t: string }>(su('pg-primary'), "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00' AS t");
    T = row!.t;
    await sleep(1_100);
    await sql(app('pg-primary'), "INSERT INTO items SELECT g, 'after' FROM generate_series(101, 150) g");
    await sql(app('pg-primary'), 'CREATE TABLE later (id int)');
    await sql(app('pg-primary'), 'DROP TABLE items');
    await archiveNow('pg-primary');

    restoreDir = join(dir, 'restored-T');
    const result = await restoreBackup(ctx, { to: T, into: restoreDir });
    expect(result.replacedNode).toBeNull();
    const found = await withRestored(restoreDir, async (conn) => {
      const [counts] = await sql<{ before: string; after: string }>(conn, "SELECT count(*) FILTER (WHERE note = 'before') AS before, count(*) FILTER (WHERE note = 'after') AS after FROM items");
      const [later] = await sql<{ r: string | null }>(conn, "SELECT to_regclass('later')::text AS r");
      const [rec] = await sql<{ standby: boolean }>(conn, 'SELECT pg_is_in_recovery() AS standby');
      const [mode] = await sql<{ setting: string }>(conn, "SELECT setting FROM pg_settings WHERE name = 'archive_mode'");
      return { counts, later: later!.r, standby: rec!.standby, archiveMode: mode!.setting };
    });
    expect(found.counts).toEqual({ before: '100', after: '0' });
    expect(found.later).toBeNull();
    expect(found.standby).toBe(false); // promoted at T
    expect(found.archiveMode).toBe('off'); // a restored copy never pushes into the cluster's repository
    const log = readFileSync(`${restoreDir}-sock/server.log`, 'utf8');
    expect(log).toMatch(/recovery stopping before commit/);
  }, 120_000);

  test('3 restore refuses a node data directory without --force, a running node even with it, and a non-empty directory', async () => {
    const primaryData = local.spec.postgres[0]!.paths.dataDir;
    await expect(restoreBackup(ctx, { to: 'latest', into: primaryData })).rejects.toMatchObject({ code: 'RESTORE_OVER_NODE' });
    await expect(restoreBackup(ctx, { to: 'latest', into: primaryData, force: true, confirm: async () => true })).rejects.toMatchObject({ code: 'RESTORE_NODE_RUNNING' });
    await expect(restoreBackup(ctx, { to: 'latest', into: restoreDir })).rejects.toMatchObject({ code: 'RESTORE_DIR_NOT_EMPTY' });
    await expect(restoreBackup(ctx, { to: 'yesterday', into: join(dir, 'x') })).rejects.toMatchObject({ code: 'RESTORE_TARGET' });
    await expect(restoreBackup(ctx, { to: '2026-11-30 14:05:00', into: join(dir, 'x') })).rejects.toMatchObject({ code: 'RESTORE_TARGET' }); // no zone
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });

  test('4 check-backups passes on a healthy repository; backups lists sizes and the window; status names the last backup', async () => {
    const check = await checkBackups(ctx);
    expect(check.problems).toEqual([]);
    expect(check.ok).toBe(true);
    const list = await listBackups(ctx);
    expect(list.backups).toHaveLength(1);
    expect(list.backups[0]!.databaseSize).toBeGreaterThan(1_000_000);
    expect(list.backups[0]!.repositorySize).toBeGreaterThan(0);
    expect(list.window.from).toEqual(list.backups[0]!.stop);
    expect(list.window.to!.getTime()).toBeGreaterThan(list.window.from!.getTime());
    const line = await backupStatusLine(ctx);
    expect(line).toContain(`last backup ${list.backups[0]!.label} (full`);
    expect(line).toMatch(/archiving from pg-primary: \d+ segment\(s\) behind/);
    const status = await localStatus(clusterOf(), { localDir, env: { PATH: process.env.PATH ?? '' } });
    expect(status.backup).toContain(`last backup ${list.backups[0]!.label} (full`);
  }, 120_000);

  test('5 retention (full: 2): a third full expires the first and its WAL, a diff keeps both fulls, and expire never drops the only full', async () => {
    const before = await listBackups(ctx);
    const oldest = before.backups[0]!.label;
    const segmentsBefore = archiveSegments();
    await sql(app('pg-primary'), 'CREATE TABLE r (id int)');
    const second = await takeBackup(ctx, 'full');
    await sql(app('pg-primary'), 'INSERT INTO r VALUES (1)');
    const third = await takeBackup(ctx, 'full');
    const after = await listBackups(ctx);
    expect(after.backups.map((b) => b.label)).toEqual([second.backup.label, third.backup.label]);
    expect(after.backups.map((b) => b.label)).not.toContain(oldest);
    // WAL older than the oldest kept backup is gone; the segments it needs are still there.
    const kept = archiveSegments().map((f) => f.split('/').pop()!.slice(0, 24));
    expect(kept[0]! >= second.backup.archiveStart!).toBe(true);
    expect(segmentsBefore.length).toBeGreaterThan(0);
    const diff = await takeBackup(ctx, 'diff');
    expect(diff.backup.type).toBe('diff');
    expect((await listBackups(ctx)).backups.filter((b) => b.type === 'full')).toHaveLength(2);
    // The tightest retention pgBackRest accepts is 1: the newest full stays.
    const primary = local.spec.postgres[0]!;
    await runTool(ctx.pgbackrest, [`--config-path=${primary.paths.configDir}/pgbackrest`, '--stanza=bk', '--repo1-retention-full=1', 'expire'], { runAs });
    const one = await listBackups(ctx);
    expect(one.backups.filter((b) => b.type === 'full').map((b) => b.label)).toEqual([third.backup.label]);
  }, 180_000);

  test('6 a missing WAL segment, then a corrupted one, make check-backups fail with the segment named', async () => {
    await sql(app('pg-primary'), 'INSERT INTO r SELECT generate_series(2, 1000)');
    await archiveNow('pg-primary');
    await sql(app('pg-primary'), 'INSERT INTO r SELECT generate_series(1001, 2000)');
    await archiveNow('pg-primary');
    const segments = archiveSegments();
    const victim = segments[segments.length - 2]!;
    const name = victim.split('/').pop()!.slice(0, 24);
    const aside = join(dir, 'aside');
    renameSync(victim, aside);
    try {
      const missing = await checkBackups(ctx);
      expect(missing.ok).toBe(false);
      expect(missing.problems.join('\n')).toContain(`WAL segment(s) missing from the archive: ${name}`);
    } finally {
      renameSync(aside, victim);
    }
    copyFileSync(victim, aside);
    const bytes = readFileSync(victim);
    bytes.fill(0x42, 64, 4096);
    writeFileSync(victim, bytes);
    try {
      const corrupt = await checkBackups(ctx);
      expect(corrupt.ok).toBe(false);
      const damaged = victim.split('/').slice(-3).join('/');
      // A broken lz4 stream fails decompression ("invalid result"); intact compression with other bytes fails the checksum.
      expect(corrupt.problems.join('\n')).toMatch(/pgbackrest verify found damaged repository files: invalid (checksum|result) '?15-1\//);
      expect(corrupt.problems.join('\n')).toContain(damaged);
    } finally {
      copyFileSync(aside, victim);
    }
    expect((await checkBackups(ctx)).ok).toBe(true);
  }, 180_000);

  test('7 failover: the promoted standby archives on timeline 2, backups run on it, and a restore to a time after the promotion works', async () => {
    await sql(app('pg-primary'), 'CREATE TABLE across (id int, phase text)');
    await sql(app('pg-primary'), "INSERT INTO across VALUES (1, 'timeline 1')");
    await archiveNow('pg-primary');
    // Wait for the standby to replay it, then lose the primary and promote the standby by hand.
    for (let i = 0; i < 100; i++) {
      const rows = await sql(su('pg-replica1'), "SELECT 1 FROM pg_class WHERE relname = 'across'").catch(() => []);
      if (rows.length) break;
      await sleep(100);
    }
    await local.stopService('pg-primary');
    await sql(su('pg-replica1'), 'SELECT pg_promote(true, 30)');
    await sql(local.connection('pg-replica1', { user: 'postgres', database: 'app' }), "INSERT INTO across VALUES (2, 'timeline 2')");
    const [row] = await sql<{ t: string }>(su('pg-replica1'), "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00' AS t");
    await sleep(1_100);
    await sql(local.connection('pg-replica1', { user: 'postgres', database: 'app' }), "INSERT INTO across VALUES (3, 'after T2')");
    await archiveNow('pg-replica1');
    const [tl] = await sql<{ wal: string; last: string }>(su('pg-replica1'), 'SELECT pg_walfile_name(pg_current_wal_lsn()) AS wal, last_archived_wal AS last FROM pg_stat_archiver');
    expect(tl!.wal.slice(0, 8)).toBe('00000002');
    expect(tl!.last.slice(0, 8)).toBe('00000002');
    const onNew = await takeBackup(ctx, 'incr');
    expect(onNew.node).toBe('pg-replica1');

    const into = join(dir, 'restored-T2');
    await restoreBackup(ctx, { to: row!.t, into });
    const rows = await withRestored(into, (conn) => sql<{ id: number; phase: string }>(conn, 'SELECT id, phase FROM across ORDER BY id'));
    expect(rows).toEqual([
      { id: 1, phase: 'timeline 1' },
      { id: 2, phase: 'timeline 2' },
    ]);
  }, 180_000);

  test('8 the primary is lost and no standby is usable: restore --force into its data directory, then up again', async () => {
    await local.stop();
    const [primary, replica] = local.spec.postgres;
    renameSync(primary!.paths.dataDir, `${primary!.paths.dataDir}.lost`);
    renameSync(replica!.paths.dataDir, `${replica!.paths.dataDir}.lost`);
    const asked: string[][] = [];
    await expect(restoreBackup(ctx, { to: 'latest', into: primary!.paths.dataDir, force: true, confirm: async () => false })).rejects.toMatchObject({ code: 'RESTORE_NOT_CONFIRMED' });
    const result = await restoreBackup(ctx, { to: 'latest', into: primary!.paths.dataDir, force: true, confirm: async (lines) => (asked.push(lines), true) });
    expect(result.replacedNode).toBe('pg-primary');
    expect(asked[0]![0]).toContain(`bk/pg-primary's data directory ${primary!.paths.dataDir}`);
    local = await startLocalCluster(clusterOf(), { localDir, env: { PATH: process.env.PATH ?? '' } });
    const rows = await sql<{ id: number }>(local.connection('pg-primary', { user: 'postgres', database: 'app' }), 'SELECT id FROM across ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3]);
    const [standby] = await sql<{ r: boolean }>(su('pg-replica1'), 'SELECT pg_is_in_recovery() AS r');
    expect(standby!.r).toBe(true);
  }, 180_000);
  test('9 a former primary whose WAL back to the fork was recycled rejoins: pg_rewind fetches it from the archive', async () => {
    // After 8: pg-primary is the primary, pg-replica1 its standby.
    const [primary, standby] = ['pg-primary', 'pg-replica1'] as const;
    const appAs = (id: string) => local.connection(id, { user: 'postgres', database: 'app' });
    // The last checkpoint the two share ends a segment of its own, which only the archive keeps
    // once the primary stops: its standby's slot holds WAL from the next segment on.
    await sql(su(primary), 'CHECKPOINT');
    const [{ shared }] = (await sql<{ shared: string }>(su(primary), 'SELECT pg_walfile_name(checkpoint_lsn) AS shared FROM pg_control_checkpoint()')) as [{ shared: string }];
    await archiveNow(primary);
    // Cut off: no streaming, and no fetching from the archive either (restore_command).
    await sql(su(standby), "ALTER SYSTEM SET primary_conninfo = ''");
    await sql(su(standby), "ALTER SYSTEM SET restore_command = ''");
    await sql(su(standby), 'SELECT pg_reload_conf()');
    for (let i = 0; i < 100 && (await sql(su(primary), 'SELECT 1 FROM pg_stat_replication')).length > 0; i++) await sleep(100);
    await sql(appAs(primary), "INSERT INTO across VALUES (4, 'only on the old primary')");
    await archiveNow(primary);
    // The standby, which never received row 4, is promoted; the old primary stops cleanly first.
    await local.promote(standby);
    // pg_rewind needs the shared checkpoint's segment, which the old primary recycled when it stopped.
    expect(existsSync(join(local.spec.postgres.find((n) => n.id === primary)!.paths.dataDir, 'pg_wal', shared))).toBe(false);
    await sql(su(standby), 'ALTER SYSTEM RESET primary_conninfo');
    await sql(su(standby), 'ALTER SYSTEM RESET restore_command');
    await sql(su(standby), 'SELECT pg_reload_conf()');
    await local.rejoin(primary);
    const [row] = await sql<{ r: boolean }>(su(primary), 'SELECT pg_is_in_recovery() AS r');
    expect(row!.r).toBe(true);
    expect(await sql(appAs(primary), 'SELECT id FROM across WHERE id = 4')).toEqual([]);
  }, 180_000);
});
