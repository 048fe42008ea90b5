// Automatic failover (the default) and fencing under docker-compose, for real: the README topology
// with a synchronous quorum on the Debian-built PostgreSQL 15 image. A writer records every id the
// server acknowledged through HAProxy RW; the primary container is SIGKILLed; Pgpool's failover.sh
// promotes a standby and claims it in the cluster-state volume; writes resume by themselves with
// every acknowledged id on the new primary; the other standby follows. Then `down` + `up` before
// the old primary rejoined: the claim keeps it from starting as a primary (it starts first, alone),
// it waits for the promoted node and rejoins it (pg_rewind). Last, `restart` of the primary's
// service fails over again, and the restarted node comes back as a standby.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { rmSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, Haproxy, PgPool, Primary, Replica } from '../../src/index.js';
import { eventually, sleep, sql, workDir, type ConnConfig } from '../e2e/readme-cluster.js';
import { ComposeCluster, requireDocker, retarget } from './harness.js';

const run = promisify(execFile);
const NODES = ['pg-primary', 'pg-replica1', 'pg-replica2'] as const;

function failoverCluster(): Cluster {
  const c = new Cluster({ name: 'shop', postgresVersion: 15 });
  const primary = new Primary(c, 'pg-primary', { hostPort: 5611, database: 'app', synchronousStandbyNames: 'ANY 1 ("pg-replica1", "pg-replica2")' });
  const r1 = new Replica(c, 'pg-replica1', { primary, hostPort: 5612 });
  const r2 = new Replica(c, 'pg-replica2', { primary, hostPort: 5613 });
  const pgpool = new PgPool(c, 'pgpool', { backends: [primary, r1, r2], hostPort: 9999, numInitChildren: 16, maxPool: 2 });
  new Haproxy(c, 'haproxy', { upstream: pgpool, readWrite: { hostPort: 5100 }, readOnly: { hostPort: 5101 } });
  return c;
}

/** Inserts ids 1, 2, … one per transaction, reconnecting after any error; bounded by `maxMs`. */
class Writer {
  readonly acked: number[] = [];
  readonly sentAt: number[] = [];
  readonly ackedAt: number[] = [];
  private running = true;
  private readonly done: Promise<void>;

  constructor(private readonly config: ConnConfig, maxMs = 150_000, private nextId = 1) {
    this.done = this.loop(Date.now() + maxMs);
  }

  private async loop(deadline: number): Promise<void> {
    while (this.running && Date.now() < deadline) {
      const client = new pg.Client({ ...this.config, connectionTimeoutMillis: 2_000, query_timeout: 10_000 });
      client.on('error', () => {});
      try {
        await client.connect();
        while (this.running && Date.now() < deadline) {
          const id = this.nextId++;
          const sent = Date.now();
          await client.query('INSERT INTO acked (id) VALUES ($1)', [id]);
          this.acked.push(id);
          this.sentAt.push(sent);
          this.ackedAt.push(Date.now());
        }
      } catch {
        await sleep(100);
      } finally {
        await client.end().catch(() => {});
      }
    }
  }

  /** Milliseconds from `since` to the sending and to the acknowledgement of the first acknowledged write sent after it. */
  async firstAckAfter(since: number, timeoutMs: number): Promise<{ sent: number; acked: number }> {
    const i = await eventually(async () => {
      const found = this.sentAt.findIndex((t) => t > since);
      return found >= 0 ? found + 1 : undefined;
    }, 'a write acknowledged through HAProxy RW', timeoutMs);
    return { sent: this.sentAt[i - 1]! - since, acked: this.ackedAt[i - 1]! - since };
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }
}

describe.sequential('automatic failover and fencing under docker-compose (PostgreSQL 15 image from Debian packages)', () => {
  let c: ComposeCluster;
  let image = '';
  let writer: Writer | undefined;
  let newPrimary = '';
  let killedAt = 0;

  /** pg_is_in_recovery() of each running node: 'f' primary, 't' standby; absent when it does not answer. */
  async function roles(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const id of NODES) {
      const answer = await c.psql(id, 'SELECT pg_is_in_recovery()').catch(() => '');
      if (answer === 't' || answer === 'f') out[id] = answer;
    }
    return out;
  }

  async function streaming(primary: string): Promise<string[]> {
    const out = await c.psql(primary, "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming' ORDER BY 1");
    return out.split('\n').filter(Boolean);
  }

  async function containerId(service: string): Promise<string> {
    const found = (await c.containers()).find((s) => s.service === service);
    if (!found) throw new Error(`no container for ${service}`);
    return found.id;
  }

  beforeAll(async () => {
    image = requireDocker();
    c = new ComposeCluster(await retarget(failoverCluster(), image), workDir('pgsynth-compose-failover-'));
    c.synth();
    c.writeEnv();
    await c.up();
  }, 240_000);

  afterAll(async () => {
    await writer?.stop();
    try {
      await c?.down();
    } finally {
      if (c) rmSync(c.dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('after a SIGKILL of the primary, writes through HAProxy RW resume by themselves on exactly one new primary holding every acknowledged id', async () => {
    const rw = c.app(c.spec.haproxies[0]!.readWrite.port.hostPort);
    await eventually(async () => (await sql(rw, 'CREATE TABLE IF NOT EXISTS acked (id int PRIMARY KEY)').then(() => true)), 'the table through HAProxy RW', 60_000);
    writer = new Writer(rw);
    await eventually(async () => writer!.acked.length >= 50, '50 acknowledged writes', 30_000);

    const primaryContainer = await containerId('pg-primary');
    killedAt = Date.now();
    execFileSync('docker', ['kill', '--signal', 'KILL', primaryContainer], { stdio: 'ignore' });
    const rto = await writer.firstAckAfter(killedAt, 90_000);
    console.log(
      `compose failover RTO (SIGKILL of the primary to the first acknowledged write sent after it): ${(rto.sent / 1000).toFixed(1)} s (acknowledged ${(rto.acked / 1000).toFixed(1)} s after the SIGKILL)`,
    );
    expect((await c.containers()).find((s) => s.service === 'pg-primary')?.status).not.toBe('running');
    // PGSYNTH_DEBUG_FAILOVER=1 prints when Pgpool detached the primary and what failover.sh did, against the time of the kill.
    if (process.env.PGSYNTH_DEBUG_FAILOVER) {
      const { stdout } = await c.compose(['logs', '-t', 'pgpool']);
      const lines = stdout.split('\n').filter((l) => /pgsynth failover|node: 0|node id: 0|node 0|degenerat|failover done|pg-primary/i.test(l));
      console.log(`killed at ${new Date(killedAt).toISOString()}\n${lines.join('\n')}`);
    }

    const after = writer.acked.length;
    await eventually(async () => writer!.acked.length >= after + 50, '50 more acknowledged writes on the new primary', 30_000);
    await writer.stop();

    const r = await roles();
    const primaries = Object.keys(r).filter((id) => r[id] === 'f');
    expect(primaries).toHaveLength(1);
    newPrimary = primaries[0]!;
    expect(newPrimary).not.toBe('pg-primary');
    const ids = [...writer.acked];
    const present = await c.psql(newPrimary, `SELECT count(*) FROM acked WHERE id = ANY('{${ids.join(',')}}'::int[])`, 'app');
    expect(Number(present), `every acknowledged id on ${newPrimary}`).toBe(ids.length);

    const other = NODES.find((id) => id !== 'pg-primary' && id !== newPrimary)!;
    await eventually(async () => (await streaming(newPrimary)).includes(other), `${other} streaming from ${newPrimary}`, 30_000);
    expect(r[other]).toBe('t');
  }, 200_000);

  it('restarts the surviving standby while the old primary is down: depends_on does not hold it', async () => {
    const other = NODES.find((id) => id !== 'pg-primary' && id !== newPrimary)!;
    await c.compose(['restart', other], 120_000);
    await eventually(async () => (await streaming(newPrimary)).includes(other), `${other} streaming from ${newPrimary} after its restart`, 60_000);
    expect(await c.psql(other, 'SELECT pg_is_in_recovery()')).toBe('t');
  }, 150_000);

  it('a standby on a new, empty volume clones the new primary while the initial primary is down', async () => {
    const other = NODES.find((id) => id !== 'pg-primary' && id !== newPrimary)!;
    await c.compose(['rm', '--stop', '--force', other], 120_000);
    execFileSync('docker', ['volume', 'rm', `${c.project}_${other}-data`], { stdio: 'ignore' });
    await c.compose(['up', '-d', '--no-deps', other], 120_000);
    await eventually(async () => (await streaming(newPrimary).catch((): string[] => [])).includes(other), `${other} cloned from ${newPrimary} and streaming`, 120_000);
    const { stdout } = await c.compose(['logs', other]);
    expect(stdout).toContain('pgsynth: cloning the primary (the peer that accepts writes)');
    const ids = [...writer!.acked];
    await eventually(async () => Number(await c.psql(other, `SELECT count(*) FROM acked WHERE id = ANY('{${ids.join(',')}}'::int[])`, 'app')) === ids.length, `every acknowledged id on the new ${other}`, 30_000);
    expect(await c.psql(other, 'SELECT pg_is_in_recovery()')).toBe('t');
  }, 200_000);

  it('down and up before the old primary rejoined: exactly one primary, the promoted node, with every acknowledged id; the old primary is its standby on the new timeline', async () => {
    expect(c.spec.pgpools[0]!.failover).toBe('automatic');
    // The old primary has not run since the SIGKILL: its volume still says primary on timeline 1.
    await c.compose(['down'], 180_000);
    expect(await c.containers()).toEqual([]);
    const { stdout: claimBefore } = await run('docker', ['run', '--rm', '-v', `${c.project}_cluster-state:/s:ro`, image, 'cat', '/s/primary']);
    expect(claimBefore).toMatch(new RegExp(`^${newPrimary} ${newPrimary} 5432 2\\n$`));
    const started = Date.now();
    // up starts pg-primary first (Pgpool waits for it to be healthy): the claim holds it back until the promoted node runs.
    await c.compose(['up', '-d'], 300_000);
    await c.waitHealthy(240_000);
    console.log(`compose down/up after a failover: healthy again in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const r = await roles();
    expect(Object.keys(r).filter((id) => r[id] === 'f')).toEqual([newPrimary]);
    await eventually(async () => (await streaming(newPrimary)).includes('pg-primary'), `pg-primary streaming from ${newPrimary}`, 60_000);
    expect(await c.psql('pg-primary', "SELECT received_tli FROM pg_stat_wal_receiver")).toBe('2');
    const { stdout } = await c.compose(['logs', 'pg-primary']);
    expect(stdout).toContain(`names ${newPrimary} the primary on timeline 2, newer than this node's 1: waiting for it to accept writes, then rejoining it`);
    expect(stdout).toContain(`pgsynth: ${newPrimary} is the primary on timeline 2, this node last ran as primary on timeline 1: rejoining as its standby (pg_rewind)`);
    expect(stdout).not.toContain('starting as the primary');
    // Every acknowledged id on the serving primary and on the rejoined node, which refuses writes.
    const ids = [...writer!.acked];
    expect(Number(await c.psql(newPrimary, `SELECT count(*) FROM acked WHERE id = ANY('{${ids.join(',')}}'::int[])`, 'app'))).toBe(ids.length);
    await eventually(async () => Number(await c.psql('pg-primary', `SELECT count(*) FROM acked WHERE id = ANY('{${ids.join(',')}}'::int[])`, 'app')) === ids.length, 'every acknowledged id on pg-primary', 30_000);
    await expect(sql(c.app(c.hostPort('pg-primary')), 'INSERT INTO acked VALUES (-1)')).rejects.toThrow(/read-only transaction/);
    const viaPgpool = c.app(c.spec.pgpools[0]!.port.hostPort);
    await eventually(
      async () => {
        const nodes = await sql<Record<string, string>>(viaPgpool, 'SHOW pool_nodes');
        return nodes.every((n) => n.status === 'up') && nodes.find((n) => n.role === 'primary')?.hostname === newPrimary;
      },
      `Pgpool with every node up and ${newPrimary} the primary`,
      90_000,
    );
    console.log(`compose failover: old primary back as a standby ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the SIGKILL`);
    // HAProxy's read-only frontend lists every node: the old primary, a standby now, serves reads
    // there, and the promoted node none.
    const { stdout: inspected } = await run('docker', ['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', await containerId('pg-primary')]);
    const ro = c.app(c.spec.haproxies[0]!.readOnly!.port.hostPort);
    const servedBy = new Set<string>();
    await eventually(async () => {
      const [row] = await sql<{ addr: string; standby: boolean }>(ro, 'SELECT host(inet_server_addr()) AS addr, pg_is_in_recovery() AS standby');
      expect(row?.standby).toBe(true);
      servedBy.add(row!.addr);
      return servedBy.has(inspected.trim());
    }, 'a read through HAProxy RO served by pg-primary', 60_000);
  }, 400_000);

  it("docker compose restart of the primary's service: Pgpool fails over, one primary afterwards with every acknowledged write, the restarted node its standby, the cluster healthy", async () => {
    const rw = c.app(c.spec.haproxies[0]!.readWrite.port.hostPort);
    const restarted = newPrimary;
    const writes = new Writer(rw, 120_000, Math.max(...writer!.acked) + 1_000);
    writer = writes;
    await eventually(async () => writes.acked.length >= 20, '20 acknowledged writes before the restart', 60_000);
    const started = Date.now();
    await c.compose(['restart', restarted], 120_000);
    const after = writes.acked.length;
    await eventually(async () => writes.acked.length >= after + 20, '20 more acknowledged writes after the restart', 90_000);
    await writes.stop();
    await c.waitHealthy(180_000);
    console.log(`compose restart of the primary ${restarted}: healthy again in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    let r: Record<string, string> = {};
    await eventually(async () => {
      r = await roles();
      return Object.keys(r).length === NODES.length;
    }, 'every node answering', 60_000);
    const primaries = Object.keys(r).filter((id) => r[id] === 'f');
    expect(primaries).toHaveLength(1);
    const current = primaries[0]!;
    expect(current).not.toBe(restarted);
    const { stdout } = await c.compose(['logs', restarted]);
    expect(stdout).toContain('waiting up to 16 s for its failover first');
    expect(stdout).toMatch(new RegExp(`pgsynth: ${current} is the primary on timeline 3, this node last ran as primary on timeline 2: rejoining as its standby`));
    for (const id of NODES.filter((n) => n !== current)) {
      await eventually(async () => (await streaming(current)).includes(id), `${id} streaming from ${current}`, 60_000);
    }
    const ids = [...writes.acked];
    expect(Number(await c.psql(current, `SELECT count(*) FROM acked WHERE id = ANY('{${ids.join(',')}}'::int[])`, 'app'))).toBe(ids.length);
    const { stdout: claim } = await c.compose(['exec', '-T', current, 'cat', '/var/lib/pgsynth/cluster-state/primary']);
    expect(claim).toBe(`${current} ${current} 5432 3\n`);
    newPrimary = current;
  }, 400_000);
});
