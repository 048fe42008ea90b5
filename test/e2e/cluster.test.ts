/**
 * End to end: the README topology started by startLocalCluster from its rendered files, with the
 * host's PostgreSQL, Pgpool-II and HAProxy (versions read from the binaries) on 127.0.0.1. One cluster for the whole file; the
 * tests that stop nodes come last.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { showPoolNodes, type PoolNode } from '../../src/process/pgpool.js';
import { startLocalCluster, type LocalCluster } from '../../src/testing-local.js';
import { localStatus } from '../../src/local/status.js';
import { pgpoolRuntimeDir, renderPgpoolEntrypoint } from '../../src/render/pgpool/index.js';
import { renderPrimaryEntrypoint, renderPrimaryInitScript, renderReplicaEntrypoint } from '../../src/render/postgres/index.js';
import { prepareClusterState } from '../../src/render/cluster-state.js';
import { toAddressPlan } from '../support/address-plan.js';
import { hostPgpool, hostPostgres } from '../support/binaries.js';
import { eventually, readmeCluster, readmePorts, sleep, sql, withPg, workDir, type ConnConfig, type ReadmePorts } from './readme-cluster.js';

const REPLICAS = ['pg-replica1', 'pg-replica2'] as const;
const NODES = ['pg-primary', ...REPLICAS] as const;

const dir = workDir('pgsynth-e2e-');
const localDir = join(dir, 'local');
const progress: string[] = [];
let ports: ReadmePorts;
let cluster: ReturnType<typeof readmeCluster>;
let local: LocalCluster;

const app = (id: string, extra: Partial<ConnConfig> = {}): ConnConfig => ({ ...local.connection(id), ...extra });
const superuser = (id: string): ConnConfig => local.connection(id, { user: 'postgres' });
const poolNodes = (): Promise<PoolNode[]> => showPoolNodes(app('pgpool'));
const selectCounts = async () => Object.fromEntries((await poolNodes()).map((n) => [n.port, n.selectCount])) as Record<number, number>;

/** `count` fresh sessions through Pgpool, each one plain SELECT: Pgpool picks a load-balance node per session. */
async function balancedSelects(count: number, table: string): Promise<void> {
  for (let i = 0; i < count; i++) await sql(app('pgpool'), `SELECT count(*) FROM ${table}`);
}

async function rowsOn(id: string, text: string): Promise<number> {
  const [row] = await sql<{ n: string }>(app(id), text);
  return Number(row?.n);
}

beforeAll(async () => {
  ports = await readmePorts();
  // Fast health checks: the failure tests below see Pgpool detach a stopped standby in about 3 s.
  cluster = readmeCluster(ports, { healthCheck: { period: 1, timeout: 2, maxRetries: 1, retryDelay: 1 }, srCheckPeriod: 1 });
  local = await startLocalCluster(cluster, { localDir, env: { PATH: process.env.PATH ?? '' }, log: (line) => progress.push(line) });
}, 90_000);

afterAll(async () => {
  await local?.stop({ purge: true });
  if (process.env.PGSYNTH_KEEP_TMP) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
  console.log(`e2e cluster start:\n${progress.join('\n')}`);
}, 60_000);

describe('README topology under startLocalCluster', () => {
  test('1 every node is up in its role, and status sees every service', async () => {
    for (const id of NODES) {
      const [row] = await sql<{ standby: boolean }>(superuser(id), 'SELECT pg_is_in_recovery() AS standby');
      expect(row?.standby, id).toBe(id !== 'pg-primary');
    }
    const status = await localStatus(cluster, { localDir, env: {} });
    expect(status.services.map((s) => [s.id, s.pid !== null, s.role])).toEqual([
      ['pg-primary', true, 'primary'],
      ['pg-replica1', true, 'standby'],
      ['pg-replica2', true, 'standby'],
      ['pgpool', true, 'pgpool'],
      ['haproxy', true, 'haproxy'],
    ]);
    expect(local.urls.primary).toBe(`postgresql://app@127.0.0.1:${ports.primary}/app`);
    expect(local.urls.haproxyRw).toBe(`postgresql://app@127.0.0.1:${ports.rw}/app`);
    expect(Object.keys(local.urls.replicas)).toEqual([...REPLICAS]);
  });

  test('2a Pgpool runs the entrypoint.sh the compose target renders for it, modulo the address plan', async () => {
    const pool = local.spec.pgpools[0]!;
    const compose = cluster.resolve({ target: 'compose' });
    const ran = readFileSync(join(pool.paths.configDir, 'entrypoint.sh'), 'utf8');
    // Only compose makes the shared cluster-state directory failover.sh writes the primary claim to.
    const composeOnly = prepareClusterState(compose).map((line) => `${line.trimStart()}\n`);
    const rendered = renderPgpoolEntrypoint(compose, compose.pgpools[0]!).split(/(?<=\n)/).filter((line) => !composeOnly.includes(line.trimStart())).join('');
    expect(ran).toBe(toAddressPlan(rendered, compose, local.spec, 'pgpool'));
    expect(readFileSync(pool.paths.logFile, 'utf8')).toContain(`pgsynth starts pgpool: bash ${pool.paths.configDir}/entrypoint.sh`);
    // The process synth up recorded is the pgpool the script exec'd, with the files the script wrote.
    const status = await localStatus(cluster, { localDir, env: {} });
    const pid = status.services.find((s) => s.id === 'pgpool')!.pid!;
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    expect(argv).toContain(`${pgpoolRuntimeDir(pool)}/pcp.conf`);
    expect(readFileSync(join(pgpoolRuntimeDir(pool), 'pool_passwd'), 'utf8')).toContain(`app:TEXT${local.passwords.app}\n`);
  });

  test('2b the bootstrap synth up ran is the init.sh the compose target renders, modulo the address plan', () => {
    const primary = local.spec.postgres.find((n) => n.id === 'pg-primary')!;
    const compose = cluster.resolve({ target: 'compose' });
    const ran = readFileSync(join(primary.paths.configDir, 'init.sh'), 'utf8');
    expect(ran).toBe(toAddressPlan(renderPrimaryInitScript(compose, compose.postgres.find((n) => n.id === 'pg-primary')!), compose, local.spec, 'pg-primary'));
    // Its last line ran: the marker compose's healthcheck waits for.
    expect(existsSync(join(primary.paths.dataDir, 'pgsynth-bootstrap.done'))).toBe(true);
  });

  test('2c the initdb synth up ran is the compose primary entrypoint\'s initdb, but for the local --no-sync --locale=C', () => {
    const primary = local.spec.postgres.find((n) => n.id === 'pg-primary')!;
    const compose = cluster.resolve({ target: 'compose' });
    const ran = readFileSync(join(primary.paths.configDir, 'initdb.sh'), 'utf8');
    const block = ran.slice(ran.indexOf('if [[ ! -f "$PGDATA/PG_VERSION" ]]'), ran.lastIndexOf('\nfi\n') + 4).replace(' --no-sync --locale=C', '');
    expect(block.split('\n').length).toBeGreaterThan(5);
    // Compose's initdb also refuses while the primary claim names another node (compose-only state).
    const entrypoint = renderPrimaryEntrypoint(compose, compose.postgres.find((n) => n.id === 'pg-primary')!).replace(/ {2}if read_claim && [^\n]*\n[^\n]*\n {2}fi\n/, '');
    expect(entrypoint).toContain(block.replace(/\nfi\n$/, '\n'));
  });

  test('2d each standby was cloned by the compose replica entrypoint\'s clone lines, but for the local --no-sync', () => {
    const compose = cluster.resolve({ target: 'compose' });
    for (const id of REPLICAS) {
      const replica = local.spec.postgres.find((n) => n.id === id)!;
      const ran = readFileSync(join(replica.paths.configDir, 'clone.sh'), 'utf8');
      const lines = ran.slice(ran.indexOf('# Whichever peer accepts writes')).replace(' --no-sync', '').trimEnd().split('\n');
      expect(lines.length, id).toBeGreaterThan(10);
      // The lines name no path or address (the constants above them do); only the hint where the log is differs.
      const entrypoint = renderReplicaEntrypoint(compose, compose.postgres.find((n) => n.id === id)!).replace(' (docker compose logs $PRIMARY)', '');
      expect(entrypoint, id).toContain(lines.map((line) => `  ${line}`).join('\n'));
    }
  });

  test('2 Pgpool connects; SHOW pool_nodes has every node up and one primary', async () => {
    await sql(app('pgpool'), 'SELECT 1');
    const nodes = await poolNodes();
    expect(nodes.map((n) => [n.port, n.status, n.role])).toEqual([
      [ports.primary, 'up', 'primary'],
      [ports.replica1, 'up', 'standby'],
      [ports.replica2, 'up', 'standby'],
    ]);
  });

  test('3 HAProxy RW and RO accept queries', async () => {
    await sql(app('haproxy'), 'CREATE TABLE through_rw (id int PRIMARY KEY)');
    await sql(app('haproxy'), 'INSERT INTO through_rw VALUES (1)');
    // RO reads a standby, which applies the commit a moment later.
    const rows = await eventually(async () => {
      const found = await sql<{ id: number }>(app('haproxy', { port: ports.ro }), 'SELECT id FROM through_rw');
      return found.length > 0 && found;
    }, 'the row on a standby through HAProxy RO');
    expect(rows).toEqual([{ id: 1 }]);
    expect(local.connection('haproxy', { frontend: 'ro' }).port).toBe(ports.ro);
  });

  test('4 a write on the primary is read on every standby', async () => {
    await sql(app('pg-primary'), 'CREATE TABLE notes (id int PRIMARY KEY, body text)');
    await sql(app('pg-primary'), 'INSERT INTO notes VALUES ($1, $2)', [1, 'replicated']);
    for (const id of REPLICAS) {
      const rows = await eventually(async () => {
        const found = await sql(app(id), 'SELECT body FROM notes WHERE id = 1');
        return found.length > 0 && found;
      }, `the row on ${id}`);
      expect(rows, id).toEqual([{ body: 'replicated' }]);
    }
  });

  test('5 standbys reject writes', async () => {
    for (const id of REPLICAS) {
      await expect(sql(app(id), 'INSERT INTO notes VALUES (2, $1)', ['nope']), id).rejects.toThrow(/read-only transaction/);
      await expect(sql(app(id), 'CREATE TABLE nope (id int)'), id).rejects.toThrow(/read-only transaction/);
    }
  });

  test('6 DDL replicates', async () => {
    await sql(app('pg-primary'), 'CREATE TABLE ddl_check (id int); CREATE INDEX ddl_check_id ON ddl_check (id)');
    for (const id of REPLICAS) {
      await eventually(async () => (await sql<{ r: string | null }>(app(id), "SELECT to_regclass('ddl_check_id')::text AS r"))[0]?.r === 'ddl_check_id', `the index on ${id}`);
    }
  });

  test('7 Pgpool load-balances plain SELECTs to the standbys', async () => {
    await sql(app('pg-primary'), 'CREATE TABLE lb (id int)');
    for (const id of REPLICAS) await eventually(async () => (await sql(app(id), "SELECT to_regclass('lb') AS r"))[0]?.r, `lb on ${id}`);
    const before = await selectCounts();
    await balancedSelects(30, 'lb');
    const after = await selectCounts();
    const onStandbys = (counts: Record<number, number>) => (counts[ports.replica1] ?? 0) + (counts[ports.replica2] ?? 0);
    expect(onStandbys(after)).toBeGreaterThan(onStandbys(before));
  });

  test('8 one server version on every node', async () => {
    const versions = new Set<string>();
    for (const id of NODES) {
      const [row] = await sql<{ v: string }>(app(id), "SELECT current_setting('server_version_num') AS v");
      versions.add(row!.v);
    }
    expect([...versions]).toHaveLength(1);
    expect([...versions][0]).toMatch(new RegExp(`^${hostPostgres().major}\\d{4}$`));
  });

  test('9 one streaming WAL sender per replica, pg-replica1 synchronous', async () => {
    const rows = await sql<{ application_name: string; state: string; sync_state: string }>(
      superuser('pg-primary'),
      'SELECT application_name, state, sync_state FROM pg_stat_replication ORDER BY application_name',
    );
    expect(rows).toEqual([
      { application_name: 'pg-replica1', state: 'streaming', sync_state: 'sync' },
      { application_name: 'pg-replica2', state: 'streaming', sync_state: 'async' },
    ]);
  });

  test('10 one active physical slot per replica', async () => {
    const rows = await sql(superuser('pg-primary'), 'SELECT slot_name, slot_type, active FROM pg_replication_slots ORDER BY slot_name');
    expect(rows).toEqual([
      { slot_name: 'pg_replica1', slot_type: 'physical', active: true },
      { slot_name: 'pg_replica2', slot_type: 'physical', active: true },
    ]);
  });

  test('11 30 concurrent writes through Pgpool arrive on every node', async () => {
    await sql(app('pgpool'), 'CREATE TABLE burst (id int PRIMARY KEY, at timestamptz DEFAULT now())');
    await Promise.all(Array.from({ length: 30 }, (_, i) => sql(app('pgpool'), 'INSERT INTO burst (id) VALUES ($1)', [i])));
    for (const id of NODES) {
      await eventually(async () => (await rowsOn(id, 'SELECT count(*) AS n FROM burst')) === 30, `30 rows on ${id}`);
    }
  });

  test('12 Pgpool reports its version', async () => {
    const [row] = await sql<{ pool_version: string }>(app('pgpool'), 'SHOW pool_version');
    expect(row?.pool_version).toMatch(new RegExp(`^${hostPgpool().version.replaceAll('.', '\\.')}\\b`));
  });

  test('13 the HAProxy stats page answers over HTTP with basic auth', async () => {
    const url = local.urls.haproxyStats!;
    const statsPassword = local.passwords.byEnv.SHOP_HAPROXY_STATS_PASSWORD!;
    const withAuth = await fetch(url, { headers: { authorization: `Basic ${Buffer.from(`admin:${statsPassword}`).toString('base64')}` } });
    expect(withAuth.status).toBe(200);
    expect(await withAuth.text()).toContain('pgpool');
    expect((await fetch(url)).status).toBe(401);
    const wrong = await fetch(url, { headers: { authorization: `Basic ${Buffer.from('admin:wrong').toString('base64')}` } });
    expect(wrong.status).toBe(401);
  });

  test("no password reaches the primary's log, which logs every statement", async () => {
    const log = readFileSync(local.spec.postgres[0]!.paths.logFile, 'utf8');
    expect(log).toMatch(/LOG: {2}statement: /);
    for (const [env, password] of Object.entries(local.passwords.byEnv)) expect(log, env).not.toContain(password);
  });

  test('SCRAM logins work through Pgpool and HAProxy; a wrong password is refused', async () => {
    const [stored] = await sql<{ hash: string }>(superuser('pg-primary'), "SELECT rolpassword AS hash FROM pg_authid WHERE rolname = 'app'");
    expect(stored?.hash).toMatch(/^SCRAM-SHA-256\$/);
    for (const target of [app('pgpool'), app('haproxy'), app('haproxy', { port: ports.ro })]) {
      const [row] = await sql<{ who: string }>(target, 'SELECT current_user AS who');
      expect(row).toEqual({ who: 'app' });
      await expect(sql({ ...target, password: 'wrong password' }, 'SELECT 1'), `port ${target.port}`).rejects.toThrow(/password authentication failed|authentication failed/);
    }
  });

  test('a commit on the primary returns only once the synchronous standby has flushed it', async () => {
    await sql(app('pg-primary'), 'CREATE TABLE sync_check (id int)');
    for (let i = 0; i < 5; i++) {
      const lsn = await withPg(app('pg-primary'), async (client) => {
        await client.query('BEGIN');
        await client.query('INSERT INTO sync_check VALUES ($1)', [i]);
        // The commit record comes after this position; COMMIT waits until pg-replica1 flushed past it.
        const { rows } = await client.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
        await client.query('COMMIT');
        return rows[0]!.lsn;
      });
      const [row] = await sql<{ flushed: boolean }>(
        superuser('pg-primary'),
        "SELECT flush_lsn >= $1::pg_lsn AS flushed FROM pg_stat_replication WHERE application_name = 'pg-replica1'",
        [lsn],
      );
      expect(row?.flushed).toBe(true);
    }
  });

  test('with the synchronous standby stopped a commit blocks, and completes once it is back', async () => {
    await sql(app('pg-primary'), 'CREATE TABLE blocked (id int)');
    await local.stopService('pg-replica1');
    let settled = false;
    const commit = sql(app('pg-primary'), 'INSERT INTO blocked VALUES (1)').finally(() => (settled = true));
    commit.catch(() => {}); // Awaited below; a failure before that must not surface as unhandled.
    try {
      await sleep(1_500);
      expect(settled).toBe(false);
      // Committed locally, but no other session sees it while it waits for the standby.
      expect(await rowsOn('pg-primary', 'SELECT count(*) AS n FROM blocked')).toBe(0);
    } finally {
      await local.startService('pg-replica1');
    }
    await commit;
    expect(await rowsOn('pg-primary', 'SELECT count(*) AS n FROM blocked')).toBe(1);
    await eventually(async () => (await rowsOn('pg-replica1', 'SELECT count(*) AS n FROM blocked')) === 1, 'the row on pg-replica1');
  }, 40_000);

  test('a stopped async standby catches up when started again, and Pgpool balances to it again', async () => {
    await sql(app('pg-primary'), 'CREATE TABLE while_away (id int)');
    await local.stopService('pg-replica2');
    await sql(app('pg-primary'), 'INSERT INTO while_away SELECT generate_series(1, 100)');
    await eventually(async () => (await poolNodes()).find((n) => n.port === ports.replica2)?.status === 'down', 'Pgpool to detach pg-replica2', 15_000);
    await local.startService('pg-replica2');
    await eventually(async () => (await rowsOn('pg-replica2', 'SELECT count(*) AS n FROM while_away')) === 100, 'pg-replica2 to catch up');
    // Pgpool-II 4.3 restarts its children after the attach: a session opened at that instant can be
    // cut, and a client reconnects (docs/troubleshooting.md). So each step here tries again.
    const node = await eventually(async () => (await poolNodes()).find((n) => n.port === ports.replica2), 'pg-replica2 in SHOW pool_nodes');
    expect(['up', 'waiting']).toContain(node?.status);
    const before = (await eventually(selectCounts, 'select counts'))[ports.replica2] ?? 0;
    await eventually(async () => (await balancedSelects(30, 'while_away'), true), '30 balanced selects');
    expect((await eventually(selectCounts, 'select counts'))[ports.replica2] ?? 0).toBeGreaterThan(before);
  }, 40_000);
});
