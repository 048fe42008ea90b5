/**
 * Fault suite: the cluster loses its primary, a standby, its Pgpool-II, under a writer that records
 * every id the server acknowledged through HAProxy's read-write port; afterwards exactly one node
 * is primary and every acknowledged id is on it. Real PostgreSQL 15, Pgpool-II and HAProxy.
 */
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Cluster, Haproxy, PgPool, Primary, Replica } from '../../src/index.js';
import { findFreePorts } from '../support/ports.js';
import { showPoolNodes } from '../../src/process/pgpool.js';
import { backendServers, haproxyCommand, parseHaproxyCsv } from '../../src/process/haproxy.js';
import { startLocalCluster, type LocalCluster } from '../../src/testing-local.js';
import { plannedPromotionFile } from '../../src/render/pgpool/index.js';
import { localStatus } from '../../src/local/status.js';
import { eventually, sleep, sql, workDir, type ConnConfig } from './readme-cluster.js';

const NODES = ['pg-primary', 'pg-replica1', 'pg-replica2'] as const;
/** Above Linux's largest pid_max (2^22): no process has it. */
const DEAD_PID = 2 ** 31 - 1;
const dir = workDir('pgsynth-failover-');
const localDir = join(dir, 'local');
let cluster: Cluster;
let local: LocalCluster;

/** The README topology with a synchronous quorum (either standby confirms each commit) and default failover settings. */
async function failoverCluster(): Promise<Cluster> {
  const [p0, p1, p2, pool, pcp, rw, ro] = (await findFreePorts(7)) as [number, number, number, number, number, number, number];
  const c = new Cluster({ name: 'shop', postgresVersion: 15 });
  const primary = new Primary(c, 'pg-primary', { hostPort: p0, database: 'app', synchronousStandbyNames: 'ANY 1 ("pg-replica1", "pg-replica2")' });
  const r1 = new Replica(c, 'pg-replica1', { primary, hostPort: p1 });
  const r2 = new Replica(c, 'pg-replica2', { primary, hostPort: p2 });
  const pgpool = new PgPool(c, 'pgpool', { backends: [primary, r1, r2], hostPort: pool, pcpHostPort: pcp, numInitChildren: 16, maxPool: 2 });
  new Haproxy(c, 'haproxy', { upstream: pgpool, readWrite: { hostPort: rw }, readOnly: { hostPort: ro } });
  return c;
}

const superuser = (id: string): ConnConfig => local.connection(id, { user: 'postgres', database: 'app' });

/** Which running nodes answer as primary, and each running node's timeline. */
async function roles(): Promise<{ primaries: string[]; standbys: string[]; timelines: Record<string, number> }> {
  const primaries: string[] = [];
  const standbys: string[] = [];
  const timelines: Record<string, number> = {};
  for (const id of NODES) {
    const rows = await sql<{ standby: boolean; tli: number }>(
      superuser(id),
      `SELECT pg_is_in_recovery() AS standby,
              CASE WHEN pg_is_in_recovery() THEN (SELECT received_tli FROM pg_stat_wal_receiver)
                   ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END AS tli`,
    ).catch(() => []);
    const row = rows[0];
    if (!row) continue;
    (row.standby ? standbys : primaries).push(id);
    timelines[id] = row.tli;
  }
  return { primaries, standbys, timelines };
}

/**
 * Inserts ids 1, 2, … through HAProxy RW, one per transaction, reconnecting after any error;
 * `acked` holds the ids whose COMMIT returned. Bounded: stops by itself after `maxMs`.
 */
let nextId = 1; // shared: a later writer never reuses an id an earlier one wrote

class Writer {
  readonly acked: number[] = [];
  /** When the INSERT of each acknowledged id was sent. */
  readonly sentAt: number[] = [];
  /** The port of the server that acknowledged it: a killed postmaster's sessions can still commit for a moment. */
  readonly servedBy: number[] = [];
  errors = 0;
  private running = true;
  private readonly done: Promise<void>;

  constructor(private readonly config: ConnConfig, maxMs = 240_000) {
    const deadline = Date.now() + maxMs;
    this.done = this.loop(deadline);
  }

  private async loop(deadline: number): Promise<void> {
    while (this.running && Date.now() < deadline) {
      const client = new pg.Client({ ...this.config, connectionTimeoutMillis: 2_000, query_timeout: 10_000 });
      client.on('error', () => {});
      try {
        await client.connect();
        while (this.running && Date.now() < deadline) {
          const id = nextId++;
          const sent = Date.now();
          const { rows } = await client.query<{ port: number }>('INSERT INTO acked (id) VALUES ($1) RETURNING inet_server_port() AS port', [id]);
          this.acked.push(id);
          this.sentAt.push(sent);
          this.servedBy.push(rows[0]!.port);
        }
      } catch {
        this.errors++;
        await sleep(50);
      } finally {
        await client.end().catch(() => {});
      }
    }
  }

  /**
   * Milliseconds from `since` to the first write sent after it and acknowledged by a server other
   * than `notPort` (the killed primary, whose sessions outlive its postmaster for a moment).
   */
  async firstAckAfter(since: number, notPort = -1, timeoutMs = 60_000): Promise<number> {
    const at = await eventually(
      async () => this.sentAt.find((t, i) => t > since && this.servedBy[i] !== notPort),
      'a write acknowledged through HAProxy RW',
      timeoutMs,
    );
    return at - since;
  }

  /** The longest time between two acknowledged writes sent after `from`. */
  longestGap(from: number): number {
    const times = [from, ...this.sentAt.filter((t) => t > from)];
    return Math.max(...times.slice(1).map((t, i) => t - times[i]!));
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }
}

/** Every acknowledged id is on the node that is primary now. */
async function expectAllAcked(writer: Writer): Promise<void> {
  const primary = await local.primary();
  expect(primary).toBeDefined();
  const ids = [...writer.acked]; // the writer goes on acknowledging while this reads
  const [row] = await sql<{ n: string }>(superuser(primary!), 'SELECT count(*) AS n FROM acked WHERE id = ANY($1::int[])', [ids]);
  expect(Number(row?.n), `acknowledged ids present on ${primary}`).toBe(ids.length);
}

async function expectOnePrimaryAndFollowers(): Promise<string> {
  const { primaries, standbys, timelines } = await eventually(async () => {
    const r = await roles();
    return r.primaries.length === 1 && r.standbys.every((s) => r.timelines[s] === r.timelines[r.primaries[0]!]) ? r : undefined;
  }, 'one primary and every running standby on its timeline', 30_000);
  expect(primaries).toHaveLength(1);
  for (const s of standbys) expect(timelines[s], `${s} follows the primary's timeline`).toBe(timelines[primaries[0]!]);
  return primaries[0]!;
}

/** Every node streams again and Pgpool-II has all three up with that primary. */
/** Each standby's state in HAProxy's read-only backend ('UP', 'MAINT', 'DOWN 1/3', …), over its runtime API. */
async function haproxyStandbys(): Promise<Record<string, string>> {
  const rows = parseHaproxyCsv(await haproxyCommand(local.spec.haproxies[0]!.paths.adminSocket, 'show stat'));
  return Object.fromEntries(backendServers(rows, 'standbys').map((r) => [r.server, r.status]));
}

async function expectHealed(primary: string): Promise<void> {
  await eventually(async () => {
    const rows = await sql<{ application_name: string }>(superuser(primary), "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming'");
    return rows.length === 2;
  }, `both standbys streaming from ${primary}`, 30_000);
  await eventually(async () => {
    const nodes = await showPoolNodes(local.connection('pgpool'));
    const up = nodes.filter((n) => n.status === 'up' || n.status === 'waiting');
    const primaryNode = nodes.find((n) => n.role === 'primary');
    return up.length === 3 && primaryNode && local.spec.pgpools[0]!.backends[primaryNode.nodeId]?.nodeId === primary;
  }, `Pgpool-II with 3 nodes up and ${primary} primary`, 30_000);
  // HAProxy's RO frontend too (it lists the configured replicas): a node that just rejoined counts
  // as UP after two passed checks.
  await eventually(async () => {
    const states = Object.entries(await haproxyStandbys());
    return states.every(([id, state]) => (id === primary) === (state !== 'UP'));
  }, `every standby UP in HAProxy's read-only backend`, 30_000);
}

beforeAll(async () => {
  cluster = await failoverCluster();
  local = await startLocalCluster(cluster, { localDir, env: { PATH: process.env.PATH ?? '' } });
  await sql(local.connection('pg-primary'), 'CREATE TABLE acked (id int PRIMARY KEY)');
}, 120_000);

afterAll(async () => {
  await local?.stop({ purge: !process.env.PGSYNTH_KEEP_TMP });
  if (process.env.PGSYNTH_KEEP_TMP) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('automatic failover under a writer (kill -9 of the primary, five times in a row)', () => {
  test('one primary after each failover, writes resume by themselves, no acknowledged write lost, the old primary rejoins as a standby', async () => {
    const writer = new Writer(local.connection('haproxy'));
    const rto: number[] = [];
    try {
      await writer.firstAckAfter(Date.now());
      for (let round = 0; round < 5; round++) {
        const old = (await local.primary())!;
        // Round 1 finds the planned-promotion file a synth that died left behind (its pid names no
        // process): failover.sh ignores it instead of waiting 60 s for a promotion nobody runs.
        const stale = round === 1 ? plannedPromotionFile(local.spec.pgpools[0]!) : undefined;
        if (stale) writeFileSync(stale, `${old} ${DEAD_PID}\n`);
        await sleep(300);
        const killedAt = Date.now();
        await local.killService(old, 'SIGKILL');
        rto.push(await writer.firstAckAfter(killedAt, local.spec.postgres.find((n) => n.id === old)!.port.listenPort));
        if (stale) {
          expect(readFileSync(local.spec.pgpools[0]!.paths.logFile, 'utf8')).toContain(`synth (pid ${DEAD_PID}) that named ${old} is gone`);
          rmSync(stale);
        }
        const now = await expectOnePrimaryAndFollowers();
        expect(now, `round ${round}: another node took over`).not.toBe(old);
        await expectAllAcked(writer);
        await local.startService(old);
        const [row] = await sql<{ standby: boolean }>(superuser(old), 'SELECT pg_is_in_recovery() AS standby');
        expect(row?.standby, `${old} came back as a standby`).toBe(true);
        expect(await expectOnePrimaryAndFollowers()).toBe(now);
        await expectHealed(now);
      }
    } finally {
      await writer.stop();
    }
    await expectAllAcked(writer);
    expect(writer.acked.length).toBeGreaterThan(50);
    console.log(`failover RTO (kill -9 → first acknowledged write through HAProxy RW), ms: ${rto.join(', ')}`);
  }, 300_000);
});

describe('planned switchover', () => {
  test('switches under a writer with no acknowledged write lost; the old primary follows', async () => {
    const writer = new Writer(local.connection('haproxy'));
    try {
      await writer.firstAckAfter(Date.now());
      const old = (await local.primary())!;
      // The standby failover.sh would not choose on a tie (it keeps the first). A session busy on
      // the primary through Pgpool reads the shutdown's 57P01, so Pgpool detaches the primary and
      // runs failover.sh at once, while synth waits for the target to catch up and promotes it.
      const target = NODES.filter((n) => n !== old).at(-1)!;
      const busy = new pg.Client(local.connection('pgpool'));
      busy.on('error', () => {});
      await busy.connect();
      await busy.query('BEGIN');
      await busy.query('CREATE TEMP TABLE on_the_primary (id int)');
      const sleeping = busy.query('SELECT pg_sleep(30) FROM on_the_primary').catch(() => undefined);
      await sleep(200);
      const started = Date.now();
      await local.switchover(target);
      await sleeping;
      await busy.end().catch(() => {});
      await writer.firstAckAfter(Date.now());
      console.log(`switchover write downtime: ${writer.longestGap(started)} ms`);
      expect(await expectOnePrimaryAndFollowers()).toBe(target);
      // failover.sh waited for synth's promotion instead of promoting another node beside it.
      const pgpoolLog = readFileSync(local.spec.pgpools[0]!.paths.logFile, 'utf8');
      expect(pgpoolLog).toContain(`synth is promoting ${target} (planned)`);
      const afterPlan = pgpoolLog.slice(pgpoolLog.lastIndexOf(`synth is promoting ${target} (planned)`));
      expect(afterPlan).not.toMatch(/pgsynth failover: promoting \S+ \(WAL received/);
      const [row] = await sql<{ standby: boolean }>(superuser(old), 'SELECT pg_is_in_recovery() AS standby');
      expect(row?.standby).toBe(true);
      await expectHealed(target);
    } finally {
      await writer.stop();
    }
    await expectAllAcked(writer);
  }, 120_000);
});

describe('losing standbys and Pgpool-II', () => {
  const isRunning = async (id: string) => (await localStatus(cluster, { localDir, env: {} })).services.find((s) => s.id === id)?.pid !== null;

  /**
   * New sessions through Pgpool-II and HAProxy RO, one SELECT each, for `ms`; returns the failures
   * of sessions opened after `after()` (one already on the standby when it dies loses its server).
   */
  async function sessionsFor(ms: number, after: () => number): Promise<string[]> {
    const failures: string[] = [];
    const until = Date.now() + ms;
    while (Date.now() < until) {
      for (const [via, config] of [['pgpool', local.connection('pgpool')], ['haproxy ro', local.connection('haproxy', { frontend: 'ro' })]] as const) {
        const opened = Date.now();
        await sql(config, 'SELECT count(*) FROM acked').catch((error: Error) => {
          if (opened > after()) failures.push(`${via} at +${opened - after()} ms: ${error.message}`);
        });
      }
    }
    return failures;
  }

  /** Stops a standby while new sessions run; returns the failures of sessions opened after the stop began. */
  async function loseStandby(stop: (id: string) => Promise<void>): Promise<{ standby: string; primary: string; failures: string[] }> {
    const primary = (await local.primary())!;
    const standby = NODES.find((n) => n !== primary)!;
    let stoppedAt = Number.POSITIVE_INFINITY;
    const during = sessionsFor(6_000, () => stoppedAt);
    await sleep(500);
    stoppedAt = Date.now();
    await stop(standby);
    const failures = await during;
    await eventually(async () => !(await isRunning(standby)), `${standby} to stop`, 30_000);
    await local.startService(standby);
    await expectHealed(primary);
    return { standby, primary, failures };
  }

  /** Failures of sessions opened more than `ms` after the stop began. */
  const laterThan = (failures: string[], ms: number) => failures.filter((f) => Number(/at \+(\d+) ms/.exec(f)?.[1]) > ms);

  // Pgpool-II 4.3 restarts its children on every failover event, so sessions opened while they
  // restart can be cut (up to about 2 s on a loaded 2-core machine); none opened after that fails.
  test('a standby stopped through pgsynth (maintenance in HAProxy, detached in Pgpool-II, then a fast shutdown): new sessions keep working', async () => {
    let stateWhileStopped: string | undefined;
    const { failures, standby } = await loseStandby(async (id) => {
      await local.stopService(id);
      stateWhileStopped = (await haproxyStandbys())[id];
    });
    expect(stateWhileStopped).toBe('MAINT');
    // expectHealed (in loseStandby) saw it UP in HAProxy again after startService.
    expect((await haproxyStandbys())[standby]).toBe('UP');
    // HAProxy never hands a session to the stopping server; Pgpool-II may cut one while its children restart.
    expect(failures.filter((f) => f.startsWith('haproxy'))).toEqual([]);
    expect(laterThan(failures, 4_000)).toEqual([]);
    console.log(`standby stopped through pgsynth: ${failures.length} failed new sessions ${JSON.stringify(failures)}`);
  }, 120_000);

  test('a standby killed (SIGKILL): new sessions through Pgpool-II and HAProxy RO keep working', async () => {
    const { failures } = await loseStandby((id) => local.killService(id, 'SIGKILL'));
    // A refused connection is retried on the other standby (retries + option redispatch).
    expect(failures.filter((f) => f.startsWith('haproxy'))).toEqual([]);
    expect(laterThan(failures, 4_000)).toEqual([]);
    console.log(`standby killed: ${failures.length} failed new sessions ${JSON.stringify(failures)}`);
  }, 120_000);

  test('a standby sent SIGTERM from outside: new sessions fail only until the health check detaches it, none after', async () => {
    const { failures } = await loseStandby((id) => local.killService(id, 'SIGTERM'));
    // Smart shutdown answers new connections with an error, which Pgpool-II 4.3 cannot skip
    // ("unable to read message kind"): about period + maxRetries × retryDelay = 3 s by default.
    expect(laterThan(failures, 4_000)).toEqual([]);
    const via = (name: string) => failures.filter((f) => f.startsWith(name));
    console.log(`outside SIGTERM: ${failures.length} failed new sessions; through Pgpool-II ${via('pgpool').length}, the last ${via('pgpool').at(-1) ?? 'none'}; through HAProxy RO ${via('haproxy').length}, the last ${via('haproxy').at(-1) ?? 'none'}`);
  }, 120_000);

  test('both standbys lost: commits wait and status counts them; they complete when a standby returns', async () => {
    const primary = (await local.primary())!;
    const standbys = NODES.filter((n) => n !== primary);
    for (const s of standbys) {
      await local.stopService(s);
      // Detached once stopService returns, not merely requested: PCP queues the request, and a node
      // started again before Pgpool acted on it stayed detached for good.
      const nodes = await eventually(() => showPoolNodes(local.connection('pgpool')), 'SHOW pool_nodes answered', 10_000);
      expect(nodes.find((n) => local.spec.pgpools[0]!.backends[n.nodeId]?.nodeId === s)?.status, `${s} in Pgpool-II`).toBe('down');
    }
    const client = new pg.Client(local.connection(primary));
    client.on('error', () => {});
    await client.connect();
    const commit = client.query('INSERT INTO acked (id) VALUES (-1)');
    const status = await eventually(async () => {
      const s = await localStatus(cluster, { localDir, env: {} });
      const line = s.services.find((x) => x.id === primary);
      return line?.detail.includes('1 commits waiting for a synchronous standby') ? line : undefined;
    }, 'status to show the waiting commit', 15_000);
    expect(status.role).toBe('primary');
    await local.startService(standbys[0]!);
    await commit;
    await client.end();
    await local.startService(standbys[1]!);
    await expectHealed(primary);
  }, 120_000);

  test('Pgpool-II restarted: clients connect again and the node states are right', async () => {
    const primary = (await local.primary())!;
    await local.stopService('pgpool');
    await local.startService('pgpool');
    await expectHealed(primary);
    const [row] = await sql<{ n: string }>(local.connection('haproxy'), 'SELECT count(*) AS n FROM acked');
    expect(Number(row?.n)).toBeGreaterThan(0);
  }, 60_000);

  test('synth up after a failover restarts the old primary as a standby, never as a second primary', async () => {
    const old = (await local.primary())!;
    await local.killService(old, 'SIGKILL');
    const now = await eventually(async () => {
      const r = await roles();
      return r.primaries.length === 1 && r.primaries[0] !== old ? r.primaries[0] : undefined;
    }, 'a new primary', 30_000);
    const lines: string[] = [];
    const again = await startLocalCluster(cluster, { localDir, env: { PATH: process.env.PATH ?? '' }, log: (line) => lines.push(line) });
    expect(again.alreadyRunning).toBe(false);
    // Rewound by rewind.sh, the entrypoints' fence_former_primary.
    expect(lines.some((line) => line.includes(`rejoin ${old} as a standby of ${now} (pg_rewind)`)), lines.join('\n')).toBe(true);
    const oldSpec = local.spec.postgres.find((n) => n.id === old)!;
    expect(readFileSync(join(oldSpec.paths.configDir, 'rewind.sh'), 'utf8')).toContain('\nfence_former_primary\n');
    expect(await expectOnePrimaryAndFollowers()).toBe(now);
    await expectHealed(now);
  }, 120_000);

  test('synth rejoin --reclone moves the data directory aside, deleting nothing, and clones the primary again', async () => {
    const primary = (await local.primary())!;
    // The initial primary when it is a standby now: its clone starts from a peer, not an upstream.
    const id = primary === 'pg-primary' ? NODES.find((n) => n !== primary)! : 'pg-primary';
    const dataDir = local.spec.postgres.find((n) => n.id === id)!.paths.dataDir;
    const asideBefore = readdirSync(dirname(dataDir)).filter((n) => n.startsWith(`${basename(dataDir)}.old-`));
    await local.rejoin(id, { reclone: true });
    const aside = readdirSync(dirname(dataDir)).filter((n) => n.startsWith(`${basename(dataDir)}.old-`));
    expect(aside.length).toBe(asideBefore.length + 1);
    expect(readdirSync(join(dirname(dataDir), aside.find((n) => !asideBefore.includes(n))!))).toContain('PG_VERSION');
    expect(await expectOnePrimaryAndFollowers()).toBe(primary);
    await expectHealed(primary);
  }, 120_000);
});

describe('a standby that diverged after a manual promotion', () => {
  test('synth rejoin rewinds a standby that replayed writes the promoted node never received, and it streams again', async () => {
    const old = (await local.primary())!;
    const [behind, ahead] = NODES.filter((n) => n !== old) as [string, string];
    // `behind` stops receiving (no primary_conninfo); the writes reach `ahead` only.
    const cut = async (conninfo: 'cut' | 'restore') => {
      await sql(superuser(behind), conninfo === 'cut' ? "ALTER SYSTEM SET primary_conninfo = ''" : 'ALTER SYSTEM RESET primary_conninfo');
      await sql(superuser(behind), 'SELECT pg_reload_conf()');
    };
    // pg_rewind reads a node's own WAL back to the last checkpoint before the fork, which a clean
    // stop past the fork lets it recycle: kept here, as wal_keep_size or an archive would keep it.
    for (const id of [old, ahead]) {
      await sql(superuser(id), "ALTER SYSTEM SET wal_keep_size = '1GB'");
      await sql(superuser(id), 'SELECT pg_reload_conf()');
    }
    await cut('cut');
    const streaming = async (from: string) =>
      (await sql<{ application_name: string }>(superuser(from), "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming'")).map((r) => r.application_name);
    await eventually(async () => !(await streaming(old)).includes(behind), `${behind} to stop streaming`, 15_000);
    await sql(superuser(old), 'INSERT INTO acked SELECT g FROM generate_series(-2010, -2001) AS g');
    const [{ lsn }] = (await sql<{ lsn: string }>(superuser(old), 'SELECT pg_current_wal_lsn()::text AS lsn')) as [{ lsn: string }];
    await eventually(async () => (await sql<{ ok: boolean }>(superuser(ahead), 'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok', [lsn]))[0]?.ok, `${ahead} to replay the writes`, 15_000);

    // The promotion the user asked for loses the writes `behind` never received; `ahead` replayed
    // them, so it cannot follow `behind`'s new timeline as it is.
    await local.promote(behind);
    await cut('restore');
    await local.rejoin(ahead);

    expect(await streaming(behind)).toContain(ahead);
    // pg_rewind gave it the new primary's postgresql.auto.conf: its wal_keep_size is gone with it.
    expect((await sql<{ wal_keep_size: string }>(superuser(ahead), 'SHOW wal_keep_size'))[0]?.wal_keep_size).toBe('0');
    const [row] = await sql<{ n: string }>(superuser(ahead), 'SELECT count(*) AS n FROM acked WHERE id BETWEEN -2010 AND -2001');
    expect(Number(row?.n), `${ahead} now holds what ${behind} holds`).toBe(0);
    expect(readFileSync(local.spec.postgres.find((n) => n.id === ahead)!.paths.logFile, 'utf8')).toMatch(/forked off current database system timeline|is not a child of this server's history/);
    await local.rejoin(old); // the old primary, stopped by the promotion: rewound as a former primary
    expect(await expectOnePrimaryAndFollowers()).toBe(behind);
    await expectHealed(behind);
  }, 120_000);
});
