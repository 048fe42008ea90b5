/**
 * Scratch integration test of the local runtime with the real binaries:
 * primary + one replica (physical slot) + Pgpool-II + HAProxy on 127.0.0.1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hostHaproxy, hostPgpool, hostPostgres } from '../support/binaries.js';
import { makeOwnedDir, writeOwnedFile } from '../../src/process/files.js';
import { backendServers, haproxyStats, startHaproxy } from '../../src/process/haproxy.js';
import { showPoolNodes, startPgpool, waitForPoolNodes } from '../../src/process/pgpool.js';
import { isPortFree } from '../../src/process/ports.js';
import { findFreePort } from '../support/ports.js';
import { startPostgres, waitForStreaming } from '../../src/process/postgres.js';
import { baseBackup, initPrimary } from '../support/pg-bootstrap.js';
import { livingGroupMembers } from '../../src/process/proc-stat.js';
import { isAlive, stopServer, type ServerProcess } from '../../src/process/processes.js';
import { chownTree, resolveRunAs } from '../../src/process/run-as.js';
import { query, type PgConn } from '../../src/process/sql.js';
import { waitFor } from '../../src/process/wait.js';
import { haproxyReady } from '../../src/local/haproxy-stats.js';
import type { ServiceKind } from '../../src/local/state.js';
import { stopService } from '../../src/local/stop.js';
import * as configs from './stack-configs.js';

/** Stops a server the way `synth down` stops a service of that kind (its signal and time limit). */
const stopAs = (kind: ServiceKind, server: ServerProcess) => stopService({ ...server, id: server.name, kind, ports: [], startedAt: '' });

const HOST = '127.0.0.1';
const SUPER_PASSWORD = 'super secret';
const REPL_PASSWORD = 'repl-secret';
const APP_PASSWORD = "app's secret";

const timings: Record<string, number> = {};
async function timed<T>(step: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await fn();
  } finally {
    timings[step] = Math.round(performance.now() - started);
  }
}

const runAs = resolveRunAs();
const dir = mkdtempSync(join(tmpdir(), 'pgsynth-stack-'));
const socketDir = join(dir, 'sock');
const servers: ServerProcess[] = [];
let layout: configs.StackLayout;
let primary: ServerProcess, replica: ServerProcess, pgpool: ServerProcess, haproxy: ServerProcess;

const conn = (port: number, user = 'postgres', password = SUPER_PASSWORD, database = 'postgres'): PgConn => ({
  host: HOST,
  port,
  user,
  password,
  database,
});
const statsUrl = () => `http://${HOST}:${layout.ports.stats}/stats`;

beforeAll(async () => {
  const pg = hostPostgres();
  const pgpoolBin = hostPgpool().bin;
  const haproxyBin = hostHaproxy().bin;
  const [primaryPort, replicaPort, pgpoolPort, pcp, rw, ro, stats] = await Promise.all(
    Array.from({ length: 7 }, () => findFreePort(HOST)),
  );
  layout = {
    dir,
    socketDir,
    ports: { primary: primaryPort!, replica: replicaPort!, pgpool: pgpoolPort!, pcp: pcp!, rw: rw!, ro: ro!, stats: stats! },
    superPassword: SUPER_PASSWORD,
  };
  expect(new Set(Object.values(layout.ports)).size).toBe(7);

  // Everything under dir belongs to postgres: the servers read configs and write sockets here.
  for (const sub of ['sock', 'pgpool', 'pgpool/oiddir', 'logs']) makeOwnedDir(join(dir, sub), runAs, 0o755);
  const file = (name: string, text: string, mode = 0o644) => {
    writeOwnedFile(join(dir, name), text, runAs, mode);
    return join(dir, name);
  };
  const pwfile = file('superuser.pw', `${SUPER_PASSWORD}\n`, 0o600);
  const hba = file('pg_hba.conf', configs.pgHbaConf);
  const primaryConf = file('primary.conf', configs.postgresqlConf(layout, layout.ports.primary, hba));
  const replicaConf = file('replica.conf', configs.postgresqlConf(layout, layout.ports.replica, hba));
  const poolPasswd = file(
    'pool_passwd',
    configs.poolPasswd({ postgres: SUPER_PASSWORD, app: APP_PASSWORD }),
    0o600,
  );
  const pgpoolConf = file('pgpool.conf', configs.pgpoolConf(layout, poolPasswd));
  const poolHba = file('pool_hba.conf', configs.poolHbaConf);
  const pcpConf = file('pcp.conf', configs.pcpConf('pcpadmin', 'pcp-secret'), 0o600);
  const haproxyCfg = file('haproxy.cfg', configs.haproxyCfg(layout));
  chownTree(dir, runAs.uid, runAs.gid);
  const log = (name: string) => join(dir, 'logs', `${name}.log`);

  await timed('initdb', () =>
    initPrimary({ binDir: pg.binDir, dataDir: join(dir, 'primary'), superuser: 'postgres', passwordFile: pwfile, runAs, noSync: true }),
  );
  primary = await timed('primary start', () =>
    startPostgres({ binDir: pg.binDir, dataDir: join(dir, 'primary'), configFile: primaryConf, logFile: log('primary'), runAs, name: 'primary' }),
  );
  servers.push(primary);

  await timed('roles', async () => {
    const superuser = conn(layout.ports.primary);
    await query(superuser, `CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '${REPL_PASSWORD}'`);
    await query(superuser, `CREATE ROLE app WITH LOGIN PASSWORD '${APP_PASSWORD.replace(/'/g, "''")}'`);
    await query(superuser, 'CREATE DATABASE appdb OWNER app');
  });

  await timed('base backup', () =>
    baseBackup({
      binDir: pg.binDir,
      dataDir: join(dir, 'replica1'),
      host: HOST,
      port: layout.ports.primary,
      user: 'replicator',
      password: REPL_PASSWORD,
      applicationName: 'replica1',
      slot: 'replica1_slot',
      createSlot: true,
      runAs,
      noSync: true,
    }),
  );
  replica = await timed('replica start', () =>
    startPostgres({ binDir: pg.binDir, dataDir: join(dir, 'replica1'), configFile: replicaConf, logFile: log('replica1'), runAs, name: 'replica1' }),
  );
  servers.push(replica);
  await timed('replica streaming', () => waitForStreaming(conn(layout.ports.primary), ['replica1'], { logFile: log('replica1') }));

  pgpool = await timed('pgpool start', () =>
    startPgpool({ bin: pgpoolBin, configFile: pgpoolConf, pcpFile: pcpConf, hbaFile: poolHba, logFile: log('pgpool'), runAs, port: layout.ports.pgpool }),
  );
  servers.push(pgpool);
  await timed('pgpool ready', () => waitForPoolNodes(conn(layout.ports.pgpool), 2, { logFile: log('pgpool'), timeoutMs: 20_000 }));

  haproxy = await timed('haproxy start', () => startHaproxy({ bin: haproxyBin, configFile: haproxyCfg, logFile: log('haproxy'), port: layout.ports.rw }));
  servers.push(haproxy);
  // Ready as `synth up` judges it: RW has its one server UP, nothing left unchecked.
  await timed('haproxy ready', () =>
    waitFor(async () => haproxyReady(await haproxyStats(statsUrl()), 'pgpool_rw', 'pgpool_ro') || undefined, {
      what: 'HAProxy backends pgpool_rw, pgpool_ro',
      timeoutMs: 15_000,
      intervalMs: 100,
      logFile: log('haproxy'),
    }),
  );
}, 60_000);

afterAll(async () => {
  // Safety net: whatever a failed test left running is stopped by pid, newest first.
  for (const server of servers.reverse()) {
    if (isAlive(server.pid, server.startTime) || livingGroupMembers(server.pid).length > 0) {
      await stopServer(server, { signal: 'SIGINT', timeoutMs: 3_000 }).catch(() => {});
    }
  }
  // PGSYNTH_KEEP_TMP=1 keeps configs, data directories and logs for a look after a failure.
  if (process.env.PGSYNTH_KEEP_TMP) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
  console.log(
    'local stack timings (ms):\n' +
      Object.entries(timings)
        .map(([step, ms]) => `  ${step.padEnd(18)} ${ms}`)
        .join('\n'),
  );
}, 30_000);

describe('local stack on real binaries', () => {
  test('the replica streams from its slot under its application_name', async () => {
    const rows = await query(conn(layout.ports.primary), 'SELECT application_name, state FROM pg_stat_replication');
    expect(rows).toEqual([{ application_name: 'replica1', state: 'streaming' }]);
    const slots = await query(conn(layout.ports.primary), 'SELECT slot_name, slot_type, active FROM pg_replication_slots');
    expect(slots).toEqual([{ slot_name: 'replica1_slot', slot_type: 'physical', active: true }]);
    const [recovery] = await query(conn(layout.ports.replica), 'SELECT pg_is_in_recovery() AS standby');
    expect(recovery).toEqual({ standby: true });
  });

  test('SHOW pool_nodes: two nodes up, one primary', async () => {
    const nodes = await showPoolNodes(conn(layout.ports.pgpool));
    expect(nodes).toHaveLength(2);
    expect(nodes.every((node) => node.status === 'up' || node.status === 'waiting')).toBe(true);
    expect(nodes.map((node) => [node.port, node.role])).toEqual([
      [layout.ports.primary, 'primary'],
      [layout.ports.replica, 'standby'],
    ]);
  });

  test('SCRAM logins through Pgpool and through HAProxy (RW and RO)', async () => {
    for (const port of [layout.ports.pgpool, layout.ports.rw, layout.ports.ro]) {
      const [row] = await query(conn(port, 'app', APP_PASSWORD, 'appdb'), 'SELECT current_user AS who');
      expect(row).toEqual({ who: 'app' });
    }
    await expect(query(conn(layout.ports.rw, 'app', 'wrong password', 'appdb'), 'SELECT 1')).rejects.toThrow(
      /password|authentication/i,
    );
  });

  test('a write through HAProxy RW is read on the replica', async () => {
    const app = (port: number) => conn(port, 'app', APP_PASSWORD, 'appdb');
    await query(app(layout.ports.rw), 'CREATE TABLE notes (id int PRIMARY KEY, body text)');
    await query(app(layout.ports.rw), 'INSERT INTO notes VALUES ($1, $2)', [1, 'replicated']);
    const rows = await waitFor(
      async () => {
        const found = await query(app(layout.ports.replica), 'SELECT body FROM notes WHERE id = 1');
        return found.length > 0 ? found : undefined;
      },
      { what: 'the row on the replica', timeoutMs: 5_000 },
    );
    expect(rows).toEqual([{ body: 'replicated' }]);
  });

  test('HAProxy stats page shows the Pgpool server UP in both backends', async () => {
    const rows = await haproxyStats(statsUrl());
    for (const backend of ['pgpool_rw', 'pgpool_ro']) {
      expect(backendServers(rows, backend).map((row) => [row.server, row.status])).toEqual([['pgpool1', 'UP']]);
    }
  });

  test('teardown by pid leaves no process and frees every port', async () => {
    await timed('teardown', async () => {
      await stopAs('haproxy', haproxy);
      await stopAs('pgpool', pgpool);
      await stopAs('replica', replica);
      await stopAs('primary', primary);
    });
    for (const server of [haproxy, pgpool, replica, primary]) {
      expect(isAlive(server.pid), server.name).toBe(false);
      expect(livingGroupMembers(server.pid), server.name).toEqual([]);
    }
    for (const [name, port] of Object.entries(layout.ports)) {
      expect(await isPortFree(HOST, port), `${name} port ${port}`).toBe(true);
    }
  }, 30_000);
});
