// The compose target for real: the generated docker-compose.yml of the README topology and of every
// example fixture, run with Docker Engine and docker-compose on the image built from Debian packages
// (scripts/build-test-image.sh), checked through the published ports. One cluster at a time.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeExample } from '../../fixtures/readme-example/cluster.config.js';
import type { Cluster } from '../../src/index.js';
import { PgPool } from '../../src/model/pgpool.js';
import { Replica } from '../../src/model/replica.js';
import { eventually, sleep, sql, withPg, workDir, type ConnConfig } from '../e2e/readme-cluster.js';
import { loadFixture } from '../golden/fixtures.js';
import { ComposeCluster, requireDocker, retarget } from './harness.js';

const timings: string[] = [];
/** Teardowns left running while the next cluster starts (they share no port, project or subnet). */
const teardowns: Array<Promise<void>> = [];
afterAll(async () => {
  const failed = (await Promise.allSettled(teardowns)).filter((r) => r.status === 'rejected');
  if (timings.length) console.log(`compose timings:\n  ${timings.join('\n  ')}`);
  if (failed.length) throw new Error(`compose teardown failed: ${failed.map((r) => String((r as PromiseRejectedResult).reason)).join('\n')}`);
}, 240_000);

async function newCluster(cluster: Cluster, image: string): Promise<ComposeCluster> {
  const dir = workDir('pgsynth-compose-');
  const c = new ComposeCluster(await retarget(cluster, image), dir);
  c.synth();
  return c;
}

async function cleanUp(c: ComposeCluster | undefined): Promise<void> {
  if (!c) return;
  try {
    await c.down();
  } finally {
    rmSync(c.dir, { recursive: true, force: true });
  }
}

/** The rows of pg_stat_replication on the primary: `application_name|state|sync_state`. */
async function replication(c: ComposeCluster, primary: string): Promise<string[]> {
  const out = await c.psql(primary, 'SELECT application_name, state, sync_state FROM pg_stat_replication ORDER BY 1');
  return out.split('\n').filter(Boolean);
}

/** The one node answering as a primary (automatic failover moves it); fails while there is none or more than one. */
async function primaryNow(c: ComposeCluster): Promise<string> {
  return eventually(
    async () => {
      const primaries: string[] = [];
      for (const node of c.spec.postgres) if ((await c.psql(node.id, 'SELECT pg_is_in_recovery()').catch(() => '')) === 'f') primaries.push(node.id);
      if (primaries.length > 1) throw new Error(`two primaries: ${primaries.join(', ')}`);
      return primaries[0];
    },
    'exactly one primary',
    60_000,
  );
}

async function poolNodes(config: ConnConfig): Promise<Array<Record<string, string>>> {
  return sql<Record<string, string>>(config, 'SHOW pool_nodes');
}

describe.sequential('README topology under docker-compose (PostgreSQL 15 image from Debian packages)', () => {
  let image: string;
  let c: ComposeCluster;
  let cluster: Cluster;
  let rw: ConnConfig;
  let ro: ConnConfig;
  let viaPgpool: ConnConfig;

  beforeAll(async () => {
    image = requireDocker();
    cluster = readmeExample();
    c = await newCluster(cluster, image);
    const haproxy = c.spec.haproxies[0]!;
    rw = c.app(haproxy.readWrite.port.hostPort);
    ro = c.app(haproxy.readOnly!.port.hostPort);
    viaPgpool = c.app(c.spec.pgpools[0]!.port.hostPort);
  }, 60_000);
  afterAll(() => cleanUp(c), 180_000);

  it('with a variable missing from .env, up stops naming it and starts nothing', async () => {
    c.writeEnv(['SHOP_APP_PASSWORD']);
    const failure = await c.compose(['up', '-d']).then(
      () => '',
      (error: Error) => error.message,
    );
    expect(failure).toContain('set SHOP_APP_PASSWORD in .env (see .env.example)');
    expect(await c.containers()).toEqual([]);
    const leftovers = execFileSync('bash', ['-c', `docker volume ls -q --filter label=com.docker.compose.project=${c.project}; docker network ls -q --filter label=com.docker.compose.project=${c.project}`], { encoding: 'utf8' });
    expect(leftovers.trim()).toBe('');
  }, 60_000);

  it('comes up with every service healthy and both standbys streaming (sync and async)', async () => {
    c.writeEnv();
    const seconds = await c.up();
    timings.push(`README topology up and healthy: ${seconds.toFixed(1)} s`);
    expect((await c.containers()).map((s) => `${s.service} ${s.status} ${s.health}`)).toEqual([
      'haproxy running ',
      'pg-primary running healthy',
      'pg-replica1 running healthy',
      'pg-replica2 running healthy',
      'pgpool running healthy',
    ]);
    await eventually(async () => (await replication(c, 'pg-primary')).length === 2, 'two standbys', 30_000);
    expect(await replication(c, 'pg-primary')).toEqual(['pg-replica1|streaming|sync', 'pg-replica2|streaming|async']);
    expect(await c.psql('pg-primary', 'SELECT slot_name, active FROM pg_replication_slots ORDER BY 1')).toBe('pg_replica1|t\npg_replica2|t');
  }, 240_000);

  it('writes through HAProxy RW, reads them through RO and on each standby, which refuse writes', async () => {
    await sql(rw, 'CREATE TABLE orders (id int PRIMARY KEY, item text)');
    await sql(rw, "INSERT INTO orders VALUES (1, 'tea')");
    // RO goes through Pgpool, which may pick the async standby: it shows the row once replayed.
    await eventually(async () => (await sql(ro, 'SELECT item FROM orders'))[0]?.item === 'tea', 'the row through RO', 15_000);
    for (const replica of ['pg-replica1', 'pg-replica2']) {
      const direct = c.app(c.hostPort(replica));
      await eventually(async () => (await sql(direct, 'SELECT count(*)::int AS n FROM orders'))[0]?.n === 1, `${replica} to replay the write`, 15_000);
      expect(await sql(direct, 'SELECT pg_is_in_recovery() AS standby')).toEqual([{ standby: true }]);
      await expect(sql(direct, "INSERT INTO orders VALUES (2, 'x')")).rejects.toThrow(/read-only transaction/);
    }
  }, 60_000);

  it('Pgpool answers SHOW pool_nodes on its published port: the primary and two streaming standbys, all up', async () => {
    const nodes = await poolNodes(viaPgpool);
    expect(nodes.map((n) => [n.hostname, n.status, n.role, n.replication_state])).toEqual([
      ['pg-primary', 'up', 'primary', ''],
      ['pg-replica1', 'up', 'standby', 'streaming'],
      ['pg-replica2', 'up', 'standby', 'streaming'],
    ]);
  }, 30_000);

  it('logs in with SCRAM through Pgpool and HAProxy, and refuses a wrong password on both', async () => {
    expect(await c.psql('pg-primary', "SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid WHERE rolname = 'app'")).toBe('t');
    for (const config of [viaPgpool, rw, ro]) {
      expect(await sql(config, 'SELECT current_user AS who')).toEqual([{ who: 'app' }]);
      await expect(sql({ ...config, password: 'wrong-password' }, 'SELECT 1')).rejects.toThrow(/password authentication failed|authentication failed/);
    }
  }, 60_000);

  it('serves the HAProxy stats page only with its password', async () => {
    const stats = c.spec.haproxies[0]!.stats!;
    const url = `http://127.0.0.1:${stats.port.hostPort}/`;
    expect((await fetch(url)).status).toBe(401);
    const auth = Buffer.from(`${stats.user.name}:${c.passwords[stats.user.passwordEnv]}`).toString('base64');
    const page = await fetch(url, { headers: { authorization: `Basic ${auth}` } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('pgpool');
  }, 30_000);

  it('blocks a commit while the synchronous standby is stopped and completes it when it returns', async () => {
    const primary = c.app(c.hostPort('pg-primary'));
    await c.compose(['stop', 'pg-replica1']);
    let done = false;
    const commit = sql(primary, "INSERT INTO orders VALUES (10, 'waits for pg-replica1')").then(() => (done = true));
    await sleep(4_000);
    expect(done).toBe(false);
    await c.compose(['start', 'pg-replica1']);
    await commit;
    expect(done).toBe(true);
    await c.waitHealthy();
    await eventually(async () => (await replication(c, 'pg-primary')).includes('pg-replica1|streaming|sync'), 'pg-replica1 streaming as sync again', 30_000);
  }, 180_000);

  it("fails Pgpool's healthcheck while it cannot serve a session, though it still accepts TCP connections", async () => {
    const pgpool = (await c.containers()).find((s) => s.service === 'pgpool')!;
    const [inspected] = JSON.parse(execFileSync('docker', ['inspect', pgpool.id], { encoding: 'utf8' })) as Array<{ Config: { Healthcheck: { Test: string[] } } }>;
    const [, ...command] = inspected!.Config.Healthcheck.Test; // CMD bash -c '…'
    const inPgpool = (args: string[]) => c.compose(['exec', '-T', 'pgpool', ...args]).then(() => 'ok', () => 'failed');
    expect(await inPgpool(command)).toBe('ok');
    // Frozen, not stopped: a stopped primary is failed over within a second or two (automatic, the
    // default), after which Pgpool serves again. A frozen one accepts TCP but never answers, and
    // Pgpool's health check gives up on it only after 3 × 5 s timeouts; it is thawed well before.
    const primary = (await c.containers()).find((s) => s.service === 'pg-primary')!;
    execFileSync('docker', ['pause', primary.id], { stdio: 'ignore' });
    try {
      expect(await inPgpool(command)).toBe('failed');
      // What the healthcheck used to be: green with the primary unable to answer.
      expect(await inPgpool(['bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${c.spec.pgpools[0]!.port.listenPort}`])).toBe('ok');
    } finally {
      execFileSync('docker', ['unpause', primary.id], { stdio: 'ignore' });
    }
    await c.waitHealthy();
    await eventually(async () => (await inPgpool(command)) === 'ok', "Pgpool's healthcheck passing again", 60_000);
    expect(await primaryNow(c)).toBe('pg-primary');
  }, 180_000);

  it('serves again after a restart of each service, one at a time, the primary first (it fails over), with every write kept', async () => {
    let id = 100;
    const written: number[] = [];
    const first = await primaryNow(c);
    const services = [first, ...c.spec.postgres.map((n) => n.id).filter((n) => n !== first), 'pgpool', 'haproxy'];
    const failedOver: string[] = [];
    for (const service of services) {
      const started = Date.now();
      const primaryBefore = await primaryNow(c);
      await c.compose(['restart', service]);
      await c.waitHealthy();
      // Restarting the primary's service is a lost primary to Pgpool: another node is primary afterwards, the restarted one its standby.
      if (service === primaryBefore) {
        const primaryAfter = await primaryNow(c);
        expect(primaryAfter, `the primary after restarting ${service}`).not.toBe(service);
        expect(await c.psql(service, 'SELECT pg_is_in_recovery()')).toBe('t');
        failedOver.push(`${service} → ${primaryAfter}`);
      }
      const row = ++id;
      // Pgpool notices a restarted backend on its next health check: sessions may fail until then.
      // ON CONFLICT: a retried insert whose first attempt committed without an answer is no error.
      const write = async () => {
        await sql(rw, 'INSERT INTO orders VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [row, service]);
        return (await sql(rw, 'SELECT count(*)::int AS n FROM orders WHERE id = $1', [row]))[0]?.n === 1;
      };
      await eventually(write, `a write through HAProxy after restarting ${service}`, 60_000);
      written.push(row);
      await eventually(async () => (await sql(ro, 'SELECT count(*)::int AS n FROM orders WHERE id = $1', [row]))[0]?.n === 1, `a read through RO after restarting ${service}`, 30_000);
      timings.push(`restart ${service}${service === first ? ' (the primary: fails over)' : ''} until serving: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    timings.push(`failovers by restart: ${failedOver.join(', ')}`);
    expect(failedOver.length).toBeGreaterThanOrEqual(1);
    // Exactly one primary, holding every row written before and between the restarts.
    const primary = await primaryNow(c);
    expect(Number(await c.psql(primary, `SELECT count(*) FROM orders WHERE id IN (1, 10, ${written.join(', ')})`, 'app'))).toBe(written.length + 2);
    await eventually(async () => (await replication(c, primary)).filter((r) => r.includes('|streaming|')).length === 2, 'both standbys streaming', 60_000);
  }, 400_000);

  it('keeps the data across down and up (the volumes stay), healthy and streaming again', async () => {
    const before = await sql(rw, 'SELECT count(*)::int AS n FROM orders');
    await c.compose(['down']);
    expect(await c.containers()).toEqual([]);
    const seconds = await c.up();
    timings.push(`README topology up again on its volumes: ${seconds.toFixed(1)} s`);
    await eventually(async () => (await sql(rw, 'SELECT count(*)::int AS n FROM orders'))[0]?.n === before[0]?.n, 'the same rows after down/up', 60_000);
    const primary = await primaryNow(c);
    await eventually(async () => (await replication(c, primary)).length === 2, 'both standbys streaming', 30_000);
    // No second initdb or base backup: the logs say the nodes started on their data.
    const { stdout } = await c.compose(['logs', 'pg-primary', 'pg-replica1']);
    expect(stdout).not.toMatch(/initdb \/var|pgsynth: cloning/);
  }, 300_000);

  it('after a config change, synth and up -d recreate exactly the services whose files changed, and the cluster converges', async () => {
    const before = new Map((await c.containers()).map((s) => [s.service, s.id]));
    const replica2 = cluster.nodes.find((n) => n.id === 'pg-replica2') as Replica;
    (replica2.props.settings as Record<string, unknown>).work_mem = '8MB';
    const pool = cluster.nodes.find((n) => n instanceof PgPool) as PgPool;
    (pool.props as { srCheckPeriod: number }).srCheckPeriod = 7;
    const composeBefore = readFileSync(join(c.dir, 'docker-compose.yml'), 'utf8');
    c.synth();
    const composeAfter = readFileSync(join(c.dir, 'docker-compose.yml'), 'utf8');
    const changedLabels = composeBefore.split('\n').filter((line, i) => line !== composeAfter.split('\n')[i]);
    expect(changedLabels.every((line) => line.includes('pgsynth.config-hash'))).toBe(true);
    expect(changedLabels).toHaveLength(2);

    await c.compose(['up', '-d']);
    await c.waitHealthy();
    const after = await c.containers();
    expect(after.filter((s) => s.id !== before.get(s.service)).map((s) => s.service)).toEqual(['pg-replica2', 'pgpool']);
    expect(await c.psql('pg-replica2', 'SHOW work_mem')).toBe('8MB');
    const primary = await primaryNow(c);
    await eventually(async () => (await replication(c, primary)).length === 2, 'both standbys streaming', 30_000);
    await eventually(async () => (await sql(rw, "INSERT INTO orders VALUES (500, 'after the change') RETURNING id")).length === 1, 'a write through HAProxy after the change', 60_000);
    await eventually(async () => (await poolNodes(viaPgpool)).every((n) => n.status === 'up'), 'every Pgpool node up', 60_000);
  }, 300_000);
});

// One cluster for two independent things a fresh start must survive, to keep the suite short:
// passwords as secret files, and a broken async standby.
describe.sequential('README topology with secret files (secretFiles) and a broken async standby', () => {
  let c: ComposeCluster | undefined;
  let image: string;
  afterAll(() => {
    teardowns.push(cleanUp(c));
  });

  it('stops at a missing secret file, naming it, with no container running', async () => {
    image = requireDocker();
    const cluster = readmeExample();
    (cluster.props as { secretFiles: boolean }).secretFiles = true;
    c = await newCluster(cluster, image);
    c.writeSecretFiles(['SHOP_REPLICATION_PASSWORD']);
    const failure = await c.compose(['up', '-d']).then(
      () => '',
      (error: Error) => error.message,
    );
    expect(failure).toContain(`${c.dir}/secrets/SHOP_REPLICATION_PASSWORD`);
    expect((await c.containers()).filter((s) => s.status === 'running')).toEqual([]);
  }, 120_000);

  it('with pg-replica2 broken, Pgpool and HAProxy still start and serve SCRAM logins, with it detached', async () => {
    c!.writeSecretFiles();
    // pg-replica2's volume holds a stray file: its entrypoint refuses to clone into it (and
    // deletes nothing), so the container exits on every start.
    const volume = `${c!.project}_pg-replica2-data`;
    execFileSync('docker', ['volume', 'create', '--label', `com.docker.compose.project=${c!.project}`, '--label', 'com.docker.compose.volume=pg-replica2-data', volume], { stdio: 'ignore' });
    execFileSync('docker', ['run', '--rm', '-v', `${volume}:/d`, '--entrypoint', 'touch', image, '/d/not-a-data-directory'], { stdio: 'ignore' });

    const started = Date.now();
    await c!.compose(['up', '-d']);
    const serving = await eventually(
      async () => {
        const states = new Map((await c!.containers()).map((s) => [s.service, s]));
        const ok = ['pg-primary', 'pg-replica1', 'pgpool'].every((id) => states.get(id)?.health === 'healthy') && states.get('haproxy')?.status === 'running';
        return ok && states.get('pg-replica2')?.status !== 'running' ? states : undefined;
      },
      'Pgpool healthy and HAProxy running without pg-replica2',
      180_000,
    );
    timings.push(`README topology (secret files) with a broken async standby serving: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(serving.get('pg-replica2')?.health).not.toBe('healthy');
    const haproxy = c!.spec.haproxies[0]!;
    const viaPgpool = c!.app(c!.spec.pgpools[0]!.port.hostPort);
    for (const config of [c!.app(haproxy.readWrite.port.hostPort), viaPgpool]) {
      await eventually(async () => (await sql(config, 'SELECT current_user AS who'))[0]?.who === 'app', `a session on port ${config.port}`, 60_000);
    }
    // Detached by Pgpool's health check (until then its status may read 'waiting').
    await eventually(async () => (await poolNodes(viaPgpool)).find((n) => n.hostname === 'pg-replica2')?.status === 'down', 'pg-replica2 detached', 60_000);
    expect((await poolNodes(viaPgpool)).map((n) => [n.hostname, n.status])).toEqual([
      ['pg-primary', 'up'],
      ['pg-replica1', 'up'],
      ['pg-replica2', 'down'],
    ]);
    const { stdout } = await c!.compose(['logs', 'pg-replica2']);
    expect(stdout).toContain('is not empty but holds no data directory (no PG_VERSION). Nothing was deleted');
    const stats = haproxy.stats!;
    const auth = Buffer.from(`${stats.user.name}:${c!.passwords[stats.user.passwordEnv]}`).toString('base64');
    expect((await fetch(`http://127.0.0.1:${stats.port.hostPort}/`, { headers: { authorization: `Basic ${auth}` } })).status).toBe(200);
  }, 300_000);

  it('shows no password in any container configuration, nor in the environment of postgres or pgpool', async () => {
    const passwords = Object.values(c!.passwords);
    for (const container of await c!.containers()) {
      const [inspected] = JSON.parse(execFileSync('docker', ['inspect', container.id], { encoding: 'utf8' })) as Array<{ Config: { Env: string[] } }>;
      for (const password of passwords) expect(inspected!.Config.Env.join('\n'), container.service).not.toContain(password);
    }
    // The entrypoints unset them before exec.
    for (const service of ['pg-primary', 'pg-replica1', 'pgpool']) {
      const { stdout } = await c!.compose(['exec', '-T', '--user', 'postgres', service, 'bash', '-c', 'tr "\\0" "\\n" </proc/1/environ']);
      expect(stdout, service).toContain('PATH=');
      for (const password of passwords) expect(stdout, service).not.toContain(password);
    }
  }, 60_000);
});

const EXAMPLES = ['pgpool-named-slots', 'pgpool-load-balance', 'pgpool-haproxy-subnet', 'sync-and-async-standbys', 'replica-without-slot'];

describe.sequential('example fixtures under docker-compose (retargeted to PostgreSQL 15)', () => {
  let image: string;
  beforeAll(() => {
    image = requireDocker();
  });

  it.each(EXAMPLES)('%s: healthy, streaming, and serving through its published ports', async (name) => {
    let c: ComposeCluster | undefined;
    try {
      c = await newCluster(await loadFixture(name), image);
      c.writeEnv();
      const seconds = await c.up();
      timings.push(`${name} up and healthy: ${seconds.toFixed(1)} s`);
      const primary = c.spec.postgres.find((n) => n.primary)!;
      const replicas = c.spec.postgres.filter((n) => n.replica);
      await eventually(async () => (await replication(c!, primary.id)).filter((r) => r.includes('|streaming|')).length === replicas.length, 'every standby streaming', 30_000);

      const direct = c.app(primary.port.hostPort);
      await sql(direct, 'CREATE TABLE seen (n int)');
      await sql(direct, 'INSERT INTO seen VALUES (1)');
      for (const replica of replicas) {
        await eventually(async () => (await sql(c!.app(replica.port.hostPort), 'SELECT count(*)::int AS n FROM seen'))[0]?.n === 1, `${replica.id} to replay`, 15_000);
      }
      for (const pool of c.spec.pgpools) {
        // Pgpool starts once its async standbys have started, not once they are healthy: one that
        // was still cloning is detached by the health check and re-attached by auto_failback once
        // it streams.
        const since = Date.now();
        await eventually(async () => (await poolNodes(c!.app(pool.port.hostPort))).every((n) => n.status === 'up'), 'every Pgpool node up', 150_000);
        timings.push(`${name}: every Pgpool node up ${((Date.now() - since) / 1000).toFixed(1)} s after healthy`);
        expect((await poolNodes(c.app(pool.port.hostPort))).map((n) => n.status)).toEqual(pool.backends.map(() => 'up'));
      }
      for (const proxy of c.spec.haproxies) {
        await sql(c.app(proxy.readWrite.port.hostPort), 'INSERT INTO seen VALUES (2)');
        const readOnly = proxy.readOnly;
        if (readOnly) await eventually(async () => (await sql(c!.app(readOnly.port.hostPort), 'SELECT count(*)::int AS n FROM seen WHERE n = 2'))[0]?.n === 1, 'the row through RO', 15_000);
      }
    } finally {
      teardowns.push(cleanUp(c));
    }
  }, 300_000);
});
