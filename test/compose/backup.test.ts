// Backups on the compose target, for real: a primary and a standby with a Backup on the image
// built from Debian packages (which has pgbackrest, so the generated Dockerfile installs nothing).
// The backup service creates the stanza and takes the scheduled full backup; then writes, a time
// T, more writes and a DROP TABLE; a restore to T into a NEW volume with `docker-compose run
// backup pgbackrest … restore` (docs/backup.md), started in a new container: the rows before T
// and the table are there, the rows after T are not. A standby without a slot, stopped while the
// primary recycled the WAL it needs, catches up through restore_command (pgBackRest archive-get)
// and streams again. Then the primary is stopped and the standby promoted: it archives its new
// timeline into the same repository; the backup service, started again, finds it by asking every
// node, and its one-shot mode (`backup.sh once full`) backs it up. With a second server answering as primary
// on pg-primary's socket folder, the one-shot mode refuses and names both.
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backup, Cluster, Primary, Replica, secret } from '../../src/index.js';
import { composeImageTag } from '../../src/render/backup/compose-image.js';
import { eventually, sleep, workDir } from '../e2e/readme-cluster.js';
import { ComposeCluster, requireDocker, retarget } from './harness.js';

const run = promisify(execFile);
const RESTORE_DIR = '/var/lib/postgresql/restore';

function backupCluster(): Cluster {
  const c = new Cluster({ name: 'shop', postgresVersion: 15 });
  const primary = new Primary(c, 'pg-primary', { hostPort: 5611, database: 'app' });
  // No slot: once the primary removes WAL it has not received, only the repository has it.
  new Replica(c, 'pg-replica1', { primary, hostPort: 5612, slot: false });
  // Every minute: the first scheduled full backup is the one restored (the service is stopped after it).
  // Encrypted: the passphrase reaches archive_command, the backup service and the restore from .env.
  new Backup(c, 'backup', { schedule: { full: '* * * * *', diff: null, incr: null }, archiveTimeout: 10, encryptionKey: secret('SHOP_BACKUP_KEY') });
  return c;
}

describe.sequential('Backup on docker-compose: pgBackRest in the generated image, PITR into a new volume', () => {
  let c: ComposeCluster;
  let restoreVolume: string;
  let restored: string;
  let builtImage: string;
  let impostor: string;
  const timings: string[] = [];

  beforeAll(async () => {
    const image = requireDocker();
    const cluster = await retarget(backupCluster(), image);
    c = new ComposeCluster(cluster, workDir('pgsynth-compose-backup-'));
    c.synth();
    c.writeEnv();
    builtImage = composeImageTag(c.spec, image);
    restoreVolume = `${c.project}-restore`;
    restored = `${c.project}-restored`;
    impostor = `${c.project}-impostor`;
  }, 60_000);

  afterAll(async () => {
    if (timings.length) console.log(`compose backup timings:\n  ${timings.join('\n  ')}`);
    if (!c) return;
    // -v: with an image declaring the data directory a VOLUME (the official ones), each has an anonymous volume.
    await run('docker', ['rm', '-f', '-v', restored, impostor]).catch(() => {});
    try {
      await c.down();
      await run('docker', ['volume', 'rm', '-f', restoreVolume]);
      await run('docker', ['rmi', builtImage]).catch(() => {});
    } finally {
      rmSync(c.dir, { recursive: true, force: true });
    }
  }, 180_000);

  const pgbackrest = ['pgbackrest', '--config-path=/etc/pgsynth/pgbackrest', '--stanza=shop'];

  it('builds the image, starts every service, and the backup service takes the scheduled full backup', async () => {
    timings.push(`up (image build included): ${(await c.up()).toFixed(1)} s`);
    const started = Date.now();
    const log = await eventually(
      async () => {
        const { stdout } = await c.compose(['logs', '--no-color', 'backup']);
        if (/FAILED/.test(stdout)) throw new Error(`the backup service reported a failure:\n${stdout}`);
        return /full backup of pg-primary finished/.test(stdout) ? stdout : undefined;
      },
      'the scheduled full backup',
      150_000,
    );
    timings.push(`scheduled full backup done after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(log).toContain('check: archiving reaches the repository');
    expect(log).toContain("schedule: full '* * * * *', diff 'never', incr 'never'");
    expect(log).toMatch(/primary now: pg-primary \(pg-primary: primary; pg-replica1: /);
    await c.compose(['stop', 'backup']);
    const info = (await c.compose(['run', '--rm', '--no-deps', 'backup', ...pgbackrest, '--output=json', 'info'])).stdout;
    const [stanza] = JSON.parse(info) as Array<{ backup: Array<{ type: string }>; cipher: string }>;
    expect(stanza!.backup.map((b) => b.type)).toContain('full');
    expect(stanza!.cipher).toBe('aes-256-cbc');
  }, 300_000);

  let target = '';
  it('restores to a time T into a new volume: the rows before T and the dropped table are back, the rows after T are not', async () => {
    await c.psql('pg-primary', 'CREATE TABLE items (id int PRIMARY KEY); INSERT INTO items SELECT generate_series(1, 100)', 'app');
    await sleep(1_100);
    target = await c.psql('pg-primary', `SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'`);
    await sleep(1_100);
    await c.psql('pg-primary', 'INSERT INTO items SELECT generate_series(101, 150)', 'app');
    await c.psql('pg-primary', 'DROP TABLE items', 'app');
    const segment = await c.psql('pg-primary', 'SELECT pg_walfile_name(pg_switch_wal())');
    await eventually(async () => (await c.psql('pg-primary', 'SELECT last_archived_wal FROM pg_stat_archiver')) >= segment, `segment ${segment} archived`, 60_000);

    let started = Date.now();
    const volume = `${restoreVolume}:${RESTORE_DIR}`;
    await c.compose(['run', '--rm', '--no-deps', '-v', volume, 'backup', ...pgbackrest, `--pg1-path=${RESTORE_DIR}`, '--type=time', `--target=${target}`, '--target-action=promote', '--archive-mode=off', 'restore']);
    timings.push(`restore to T: ${((Date.now() - started) / 1000).toFixed(1)} s`);

    started = Date.now();
    const postgres = ['/usr/lib/postgresql/15/bin/postgres', '-D', RESTORE_DIR, '-c', 'listen_addresses=', '-c', 'unix_socket_directories=/tmp'];
    await c.compose(['run', '-d', '--no-deps', '--name', restored, '-v', volume, 'backup', ...postgres]);
    const psql = async (sqlText: string) => (await run('docker', ['exec', restored, 'psql', '-XAtq', '-h', '/tmp', '-U', 'postgres', '-d', 'app', '-c', sqlText])).stdout.trim();
    await eventually(async () => (await psql('SELECT pg_is_in_recovery()').catch(() => '')) === 'f', 'the restored copy promoted', 90_000);
    timings.push(`restored copy promoted after ${((Date.now() - started) / 1000).toFixed(1)} s`);

    expect(await psql("SELECT to_regclass('items') IS NOT NULL")).toBe('t');
    expect(await psql('SELECT count(*), min(id), max(id) FROM items')).toBe('100|1|100');
    expect(await psql('SELECT count(*) FROM items WHERE id > 100')).toBe('0');
    expect(await psql('SHOW archive_mode')).toBe('off');
    // The cluster itself still has the DROP: the restore wrote into its own volume only.
    expect(await c.psql('pg-primary', "SELECT to_regclass('items') IS NULL", 'app')).toBe('t');
  }, 300_000);

  it('a standby without a slot that fell behind fetches the WAL its primary removed from the repository (restore_command), then streams again', async () => {
    const last = await c.psql('pg-primary', "SELECT pg_walfile_name(flush_lsn) FROM pg_stat_replication WHERE application_name = 'pg-replica1'");
    expect(last).toMatch(/^[0-9A-F]{24}$/);
    await c.compose(['stop', 'pg-replica1']);
    await c.psql('pg-primary', 'CREATE TABLE behind (id int)', 'app');
    for (let round = 0; round < 4; round++) {
      await c.psql('pg-primary', 'INSERT INTO behind SELECT generate_series(1, 1000)', 'app');
      await c.psql('pg-primary', 'SELECT pg_switch_wal()');
      await eventually(async () => (await c.psql('pg-primary', "SELECT count(*) FROM pg_ls_archive_statusdir() WHERE name LIKE '%.ready'")) === '0', 'every segment archived', 60_000);
      await c.psql('pg-primary', 'CHECKPOINT');
    }
    // The segment the standby needs next is gone from the primary: streaming alone cannot catch up.
    const oldest = await c.psql('pg-primary', "SELECT min(name) FROM pg_ls_waldir() WHERE name ~ '^[0-9A-F]{24}$'");
    expect(oldest > last, `primary's oldest segment ${oldest}, standby stopped in ${last}`).toBe(true);

    const started = Date.now();
    await c.compose(['start', 'pg-replica1']);
    await eventually(async () => (await c.psql('pg-replica1', 'SELECT count(*) FROM behind', 'app').catch(() => '')) === '4000', 'pg-replica1 caught up', 120_000);
    timings.push(`standby caught up from the repository in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const { stdout } = await c.compose(['logs', '--no-color', 'pg-replica1']);
    expect(stdout).toMatch(/restored log file "[0-9A-F]{24}" from archive/);
    await eventually(async () => (await c.psql('pg-primary', "SELECT state FROM pg_stat_replication WHERE application_name = 'pg-replica1'")) === 'streaming', 'pg-replica1 streaming again', 60_000);
  }, 240_000);

  it('after a promotion, the new primary archives its timeline 2 into the same repository', async () => {
    await c.compose(['stop', 'pg-primary']);
    await c.psql('pg-replica1', 'SELECT pg_promote()');
    await eventually(async () => (await c.psql('pg-replica1', 'SELECT pg_is_in_recovery()')) === 'f', 'pg-replica1 promoted', 60_000);
    await c.psql('pg-replica1', 'CREATE TABLE after_promotion AS SELECT 1 AS id', 'app');
    const segment = await c.psql('pg-replica1', 'SELECT pg_walfile_name(pg_switch_wal())');
    expect(segment.startsWith('00000002')).toBe(true);
    const archived = await eventually(
      async () => {
        const { stdout } = await c.compose(['exec', '-T', 'pg-replica1', 'bash', '-c', 'ls -R /var/lib/pgbackrest/archive/shop']);
        return stdout.includes('00000002.history') && stdout.includes(segment) ? stdout : undefined;
      },
      `00000002.history and ${segment} in the repository`,
      60_000,
    );
    expect(archived).toContain('00000002.history');
    // The backup service, started again, finds the new primary (pg-primary answers nothing) and
    // checks archiving from it; its one-shot mode (docs/backup.md) then backs it up after a
    // CHECKPOINT (without one pg_control still says timeline 1: pgBackRest error 058).
    const before = (await c.compose(['logs', '--no-color', 'backup'])).stdout.length;
    await c.compose(['start', 'backup']);
    const restarted = await eventually(
      async () => {
        const since = (await c.compose(['logs', '--no-color', 'backup'])).stdout.slice(before);
        return /check: archiving reaches the repository/.test(since) ? since : undefined;
      },
      'the backup service checked archiving from the new primary',
      60_000,
    );
    expect(restarted).toMatch(/primary now: pg-replica1 \(pg-primary: no answer \(.*\); pg-replica1: primary\)/);
    expect(restarted).not.toMatch(/FAILED|skipped/);
    const started = Date.now();
    const once = await c.compose(['exec', '-T', 'backup', 'bash', '/etc/pgsynth/backup.sh', 'once', 'full']);
    timings.push(`one-shot full backup of the promoted node: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(once.stdout).toMatch(/primary now: pg-replica1 \(pg-primary: no answer \(.*\); pg-replica1: primary\)/);
    expect(once.stdout).toMatch(/full backup of pg-replica1 finished in \d+ s/);
    // The data directory path in the service holds links into pg-replica1's mount.
    const view = await c.compose(['exec', '-T', 'backup', 'readlink', '/var/lib/postgresql/data/global']);
    expect(view.stdout.trim()).toBe('/var/lib/pgsynth/nodes/pg-replica1/data/global');
    await c.compose(['stop', 'backup']);
    const info = (await c.compose(['run', '--rm', '--no-deps', 'backup', ...pgbackrest, '--output=json', 'info'])).stdout;
    const [stanza] = JSON.parse(info) as Array<{ backup: Array<{ type: string; archive: { start: string } }> }>;
    // The scheduled one(s) of timeline 1, then this one, which starts on timeline 2.
    expect(stanza!.backup.length).toBeGreaterThanOrEqual(2);
    expect(stanza!.backup.at(-1)!.type).toBe('full');
    expect(stanza!.backup.at(-1)!.archive.start.startsWith('00000002')).toBe(true);
  }, 180_000);

  it('with two nodes answering as primary, the one-shot backup refuses and names both', async () => {
    // A second primary where the service looks for pg-primary (its socket folder, pg-primary stopped):
    // a fresh server of the same image, which answers pg_is_in_recovery() = f.
    const bin = '/usr/lib/postgresql/15/bin';
    const server = `${bin}/initdb -D /tmp/impostor -U postgres -A trust >/dev/null && exec ${bin}/postgres -D /tmp/impostor -c listen_addresses= -c unix_socket_directories=/var/lib/pgsynth/nodes/pg-primary/run -c port=5432`;
    await c.compose(['run', '-d', '--no-deps', '--name', impostor, 'backup', 'bash', '-c', server]);
    const ask = ['psql', '-XAtq', '-h', '/var/lib/pgsynth/nodes/pg-primary/run', '-U', 'postgres', '-d', 'postgres', '-c', 'SELECT pg_is_in_recovery()'];
    await eventually(async () => (await run('docker', ['exec', impostor, ...ask]).catch(() => ({ stdout: '' }))).stdout.trim() === 'f', 'the second primary answers', 60_000);
    const refused = await c.compose(['run', '--rm', '--no-deps', 'backup', 'bash', '/etc/pgsynth/backup.sh', 'once', 'full']).then(
      () => '',
      (e: Error) => e.message,
    );
    expect(refused).toMatch(/2 nodes answer as primary: pg-primary pg-replica1; backing up none of them/);
    expect(refused).toContain('full backup skipped');
    expect(refused).not.toContain('backup of pg-');
    await run('docker', ['rm', '-f', '-v', impostor]);
  }, 120_000);
});
