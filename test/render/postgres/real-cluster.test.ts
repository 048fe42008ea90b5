// The rendered files run by real PostgreSQL: a primary started with its generated
// postgresql.conf and pg_hba.conf, bootstrapped by the generated init script (psql) and by the
// bootstrap SQL (node-postgres), and replicas made and restarted by the generated entrypoint.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, Haproxy, PgPool, Primary, Replica } from '../../../src/index.js';
import type { ClusterSpec, PostgresNodeSpec } from '../../../src/model/spec.js';
import { checkpointSql } from '../../../src/render/postgres/bootstrap-roles.js';
import {
  renderBootstrapSql,
  renderPgHbaConf,
  renderPostgresqlConf,
  renderPrimaryInitScript,
  renderReplicaEntrypoint,
} from '../../../src/render/postgres/index.js';
import { findFreePorts } from '../../support/ports.js';
import type { PostgresVersion } from '../../../src/model/cluster.js';
import { hostPostgres, needServer, registerMissing, serversUnderTest } from '../../support/binaries.js';
import {
  giveToPostgres,
  initdb,
  requireServerUser,
  run,
  startServer,
  stopServer,
  tempRoot,
  writeFile,
  type RunningServer,
} from '../../support/postgres-runner.js';

const PASSWORDS = {
  REAL_REPLICATION_PASSWORD: "repl:pass\\word 'quoted'",
  REAL_APP_PASSWORD: 'app-secret-1',
  REAL_PGPOOL_PASSWORD: 'pool secret',
};
const SUPERUSER = 'admin';

async function clusterSpec(localDir: string, postgresVersion: PostgresVersion): Promise<ClusterSpec> {
  const [p0, p1, p2, p3, p4] = await findFreePorts(5);
  const cluster = new Cluster({ name: 'real', postgresVersion, superuser: { name: SUPERUSER } });
  // Every statement is logged, so the tests can show that no password reaches the log.
  const settings = { log_statement: 'all', log_min_duration_statement: 0 } as const;
  const primary = new Primary(cluster, 'pg-primary', { hostPort: p0!, database: 'app', extraSlots: ['backup_tool'], settings });
  const sync = new Replica(cluster, 'pg-sync', { primary, hostPort: p1!, synchronous: true });
  const async = new Replica(cluster, 'pg-async', { primary, hostPort: p2!, slot: false, applicationName: "async replica's" });
  new PgPool(cluster, 'pgpool', { backends: [primary, sync, async], hostPort: p3! });
  new Haproxy(cluster, 'direct', { upstream: [primary, sync, async], readWrite: { hostPort: p4! } });
  return cluster.resolve({ target: 'local', localDir });
}

/** Writes a node's postgresql.conf and pg_hba.conf where its config says they live. */
function writeNodeFiles(spec: ClusterSpec, node: PostgresNodeSpec): void {
  mkdirSync(node.paths.configDir, { recursive: true, mode: 0o755 });
  giveToPostgres(node.paths.configDir); // replicas write their passfile here
  writeFile(join(node.paths.configDir, 'postgresql.conf'), renderPostgresqlConf(spec, node));
  writeFile(join(node.paths.configDir, 'pg_hba.conf'), renderPgHbaConf(spec, node));
}

function prepareLocalDir(spec: ClusterSpec): void {
  mkdirSync(spec.localDir, { recursive: true, mode: 0o755 });
  const sockets = spec.postgres[0]!.paths.socketDir;
  mkdirSync(sockets, { recursive: true, mode: 0o755 });
  giveToPostgres(sockets);
  for (const node of spec.postgres) writeNodeFiles(spec, node);
}

async function startPrimary(bin: string, spec: ClusterSpec): Promise<RunningServer> {
  const node = spec.postgres[0]!;
  await initdb(bin, node.paths.dataDir, SUPERUSER);
  return startServer(join(bin, 'postgres'), ['-D', node.paths.dataDir, '-c', `config_file=${node.paths.configDir}/postgresql.conf`], {
    dataDir: node.paths.dataDir,
    logFile: join(spec.localDir, 'pg-primary.log'),
  });
}

/** The superuser over the primary's socket (pg_hba.conf trusts it there, and only there). */
function superuser(spec: ClusterSpec, database = 'postgres'): pg.Client {
  const node = spec.postgres[0]!;
  return new pg.Client({ host: node.paths.socketDir, port: node.port.listenPort, user: SUPERUSER, database });
}

async function query<R extends pg.QueryResultRow>(spec: ClusterSpec, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = superuser(spec);
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Runs the bootstrap SQL the way `synth up` does: set each password for the session, then the statements. */
async function runBootstrap(spec: ClusterSpec, passwords: Record<string, string>): Promise<void> {
  const bootstrap = renderBootstrapSql(spec, spec.postgres[0]!);
  const client = superuser(spec);
  await client.connect();
  try {
    for (const { setting, env } of bootstrap.passwordSettings) await client.query('SELECT set_config($1, $2, false)', [setting, passwords[env]]);
    await client.query(bootstrap.sql);
    const { name, owner } = bootstrap.database;
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)} OWNER ${client.escapeIdentifier(owner)}`);
  } finally {
    await client.end();
  }
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function replicationState(spec: ClusterSpec): Promise<Map<string, { state: string; sync_state: string }>> {
  const rows = await query<{ application_name: string; state: string; sync_state: string }>(spec, 'SELECT application_name, state, sync_state FROM pg_stat_replication');
  return new Map(rows.map((r) => [r.application_name, r]));
}

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PG')));
  return { ...base, PATH: `${hostPostgres().binDir}:${process.env.PATH}`, ...extra };
}

function writeScript(path: string, text: string): string {
  writeFile(path, text, 0o755);
  return path;
}

// Primary, hba and bootstrap on the host's server and on the newest supported major; replicas
// need pg_basebackup and psql, which only the host's packages provide.
const newest = 17 as const;
// 13 and 14 too: there the replication role checkpoints through the bootstrap's function.
const primaries = serversUnderTest([...new Set([hostMajorOr(newest), newest, 13, 14] as const)]);

/** The host's major, or `fallback` when there is none (its test then fails naming the package). */
function hostMajorOr(fallback: PostgresVersion): PostgresVersion {
  try {
    return hostPostgres().major;
  } catch {
    return fallback;
  }
}

describe.each(primaries)('a primary from the rendered files on $label', (server_) => {
  if (registerMissing(server_)) return;
  const { major } = server_;
  let root: ReturnType<typeof tempRoot>;
  let spec: ClusterSpec;
  let server: RunningServer | undefined;

  beforeAll(async () => {
    requireServerUser();
    const bin = needServer(major);
    root = tempRoot('primary');
    spec = await clusterSpec(join(root.dir, 'local'), major);
    prepareLocalDir(spec);
    server = await startPrimary(bin, spec);
  });
  afterAll(async () => {
    if (server) await stopServer(server);
    root?.cleanup();
  });

  it('starts with the generated pg_hba.conf, which parses without an error row', async () => {
    const [{ hba_file }] = (await query<{ hba_file: string }>(spec, 'SHOW hba_file')) as [{ hba_file: string }];
    expect(hba_file).toBe(`${spec.postgres[0]!.paths.configDir}/pg_hba.conf`);
    const rules = await query<{ type: string; error: string | null }>(spec, 'SELECT type, error FROM pg_hba_file_rules ORDER BY line_number');
    expect(rules.filter((r) => r.error !== null)).toEqual([]);
    expect(rules).toHaveLength(spec.postgres[0]!.hba.length);
  });

  it('runs the bootstrap SQL twice through node-postgres, the second time with a new password', async () => {
    await runBootstrap(spec, PASSWORDS);
    await runBootstrap(spec, { ...PASSWORDS, REAL_APP_PASSWORD: 'app-secret-2' });

    const roles = await query<{ rolname: string; rolcanlogin: boolean; rolreplication: boolean; rolsuper: boolean; scram: boolean | null; monitor: boolean }>(
      spec,
      `SELECT rolname, rolcanlogin, rolreplication, rolsuper, rolpassword LIKE 'SCRAM-SHA-256$%' AS scram, pg_has_role(rolname, 'pg_monitor', 'MEMBER') AS monitor
         FROM pg_authid WHERE rolname IN ('replicator', 'app', 'pgpool', 'haproxy_check') ORDER BY rolname`,
    );
    expect(roles).toEqual([
      { rolname: 'app', rolcanlogin: true, rolreplication: false, rolsuper: false, scram: true, monitor: false },
      { rolname: 'haproxy_check', rolcanlogin: true, rolreplication: false, rolsuper: false, scram: null, monitor: false },
      { rolname: 'pgpool', rolcanlogin: true, rolreplication: false, rolsuper: false, scram: true, monitor: true },
      { rolname: 'replicator', rolcanlogin: true, rolreplication: true, rolsuper: false, scram: true, monitor: false },
    ]);
    const slots = await query<{ slot_name: string; slot_type: string; reserved: boolean }>(
      spec,
      'SELECT slot_name, slot_type, restart_lsn IS NOT NULL AS reserved FROM pg_replication_slots ORDER BY slot_name',
    );
    expect(slots).toEqual([
      { slot_name: 'backup_tool', slot_type: 'physical', reserved: true },
      { slot_name: 'pg_sync', slot_type: 'physical', reserved: true },
    ]);
    expect(await query(spec, "SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = 'app'")).toEqual([{ owner: 'app' }]);

    // The changed password is the one that logs in, over TCP with SCRAM as pg_hba.conf asks.
    const node = spec.postgres[0]!;
    const login = (password: string) => new pg.Client({ host: '127.0.0.1', port: node.port.listenPort, user: 'app', database: 'app', password });
    const app = login('app-secret-2');
    await app.connect();
    await app.end();
    await expect(login('app-secret-1').connect()).rejects.toThrow(/password authentication failed/);
  });

  it('lets the replication role checkpoint (pg_rewind reads a new primary\'s timeline after one), and no other role', async () => {
    const node = spec.postgres[0]!;
    const as = async (user: string, password: string, sql: string) => {
      const client = new pg.Client({ host: '127.0.0.1', port: node.port.listenPort, user, database: 'postgres', password });
      await client.connect();
      try {
        return await client.query(sql);
      } finally {
        await client.end();
      }
    };
    const lastCheckpoint = async () => (await query<{ lsn: string }>(spec, 'SELECT checkpoint_lsn::text AS lsn FROM pg_control_checkpoint()'))[0]!.lsn;
    const before = await lastCheckpoint();
    await as('replicator', PASSWORDS.REAL_REPLICATION_PASSWORD, checkpointSql(major));
    expect(await lastCheckpoint()).not.toBe(before);
    // Pgpool's check role, which also logs in to postgres (pg_monitor, not more), may not.
    await expect(as('pgpool', PASSWORDS.REAL_PGPOOL_PASSWORD, checkpointSql(major))).rejects.toThrow(major >= 15 ? /CHECKPOINT/ : /permission denied/);
    if (major < 15) await expect(as('replicator', PASSWORDS.REAL_REPLICATION_PASSWORD, 'CHECKPOINT')).rejects.toThrow(/superuser/);
  });

  it('fails the bootstrap with a clear message when a password was not set', async () => {
    const client = superuser(spec);
    await client.connect();
    try {
      await expect(client.query(renderBootstrapSql(spec, spec.postgres[0]!).sql)).rejects.toThrow(
        'pgsynth.replicator_password is not set: set it to the value of REAL_REPLICATION_PASSWORD before this script',
      );
    } finally {
      await client.end();
    }
  });
});

describe(
  "a streaming cluster from the rendered scripts on the host's PostgreSQL",
  () => {
    let root: ReturnType<typeof tempRoot>;
    let spec: ClusterSpec;
    const servers = new Map<string, RunningServer>();
    const node = (id: string) => spec.postgres.find((n) => n.id === id)!;
    const secretsEnv = () => env(PASSWORDS);

    beforeAll(async () => {
      requireServerUser();
      const host = hostPostgres();
      root = tempRoot('cluster');
      spec = await clusterSpec(join(root.dir, 'local'), host.major);
      prepareLocalDir(spec);
      servers.set('pg-primary', await startPrimary(host.binDir, spec));
    });
    afterAll(async () => {
      for (const id of ['pg-async', 'pg-sync', 'pg-primary']) {
        const server = servers.get(id);
        if (server) await stopServer(server);
      }
      root?.cleanup();
    });

    async function startReplica(id: string, options: { asRoot?: boolean } = {}): Promise<RunningServer> {
      const n = node(id);
      const script = writeScript(join(n.paths.configDir, 'entrypoint.sh'), renderReplicaEntrypoint(spec, n));
      let extra: NodeJS.ProcessEnv = secretsEnv();
      if (options.asRoot) {
        // The image's gosu, played by setpriv: `gosu USER CMD...` runs CMD as USER.
        const shim = join(root.dir, 'bin');
        writeScript(join(shim, 'gosu'), '#!/bin/sh\nuser="$1"; shift\nexec setpriv --reuid="$user" --regid="$user" --init-groups "$@"\n');
        extra = { ...extra, PATH: `${shim}:${extra.PATH}` };
      }
      const server = await startServer('bash', [script], {
        dataDir: n.paths.dataDir,
        logFile: join(spec.localDir, `${id}.log`),
        env: extra,
        postgres: !options.asRoot,
      });
      servers.set(id, server);
      return server;
    }

    it('bootstraps the primary with the generated init script through psql, refusing first without a password', async () => {
      const primary = node('pg-primary');
      const script = writeScript(join(primary.paths.configDir, 'init.sh'), renderPrimaryInitScript(spec, primary));
      // As the image runs it: PGDATA and POSTGRES_USER set, the server on its socket.
      const psqlEnv = { POSTGRES_USER: SUPERUSER, PGDATA: primary.paths.dataDir, PGHOST: primary.paths.socketDir, PGPORT: String(primary.port.listenPort) };
      const done = join(primary.paths.dataDir, 'pgsynth-bootstrap.done');

      const missing = await run('bash', [script], { env: env({ ...psqlEnv, ...PASSWORDS, REAL_APP_PASSWORD: '' }), postgres: true });
      expect(missing.status).toBe(1);
      expect(missing.stderr).toContain("pgsynth: REAL_APP_PASSWORD is not set or empty: it holds the password of the application role 'app'");
      expect(await query(spec, "SELECT 1 FROM pg_roles WHERE rolname = 'replicator'")).toEqual([]);
      expect(existsSync(done)).toBe(false);

      const result = await run('bash', [script], { env: env({ ...psqlEnv, ...PASSWORDS }), postgres: true });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      for (const password of Object.values(PASSWORDS)) expect(result.stdout).not.toContain(password);
      expect(await query(spec, "SELECT rolname FROM pg_roles WHERE rolname IN ('replicator', 'app', 'pgpool', 'haproxy_check') ORDER BY 1")).toHaveLength(4);
      expect(await query(spec, "SELECT 1 FROM pg_database WHERE datname = 'app'")).toHaveLength(1);
      // Written last: the compose healthcheck of the primary waits for it.
      expect(existsSync(done)).toBe(true);

      // Run again (as after a manual re-run): nothing fails, nothing is duplicated.
      const again = await run('bash', [script], { env: env({ ...psqlEnv, ...PASSWORDS }), postgres: true });
      expect(again.status).toBe(0);

      // log_statement = 'all' on this primary logs the test's own queries, but the bootstrap
      // session turns statement logging off before it touches a password.
      const log = servers.get('pg-primary')!.log();
      expect(log).toMatch(/LOG: {2}statement: SELECT 1 FROM pg_roles/);
      for (const password of Object.values(PASSWORDS)) expect(log).not.toContain(password);
    });

    it('clones the synchronous replica with the generated entrypoint; commits wait for it by application_name', async () => {
      await startReplica('pg-sync');
      // A standby turns sync once it has reported its first flush position.
      await waitFor('pg-sync to stream as the synchronous standby', async () => {
        const s = (await replicationState(spec)).get('pg-sync');
        return s?.state === 'streaming' && s.sync_state === 'sync' ? s : undefined;
      });
      expect(await query(spec, "SELECT active FROM pg_replication_slots WHERE slot_name = 'pg_sync'")).toEqual([{ active: true }]);
      // The wait for the primary authenticates nowhere and is refused nowhere: the primary's log stays clean.
      expect(servers.get('pg-primary')!.log()).not.toMatch(/FATAL|ERROR/);

      const passfile = join(node('pg-sync').paths.configDir, 'pgpass');
      expect(statSync(passfile).mode & 0o777).toBe(0o600);
      expect(readFileSync(passfile, 'utf8')).toBe(`*:*:*:replicator:repl\\:pass\\\\word 'quoted'\n`);
      expect(existsSync(join(node('pg-sync').paths.dataDir, 'postgresql.auto.conf'))).toBe(true);
      expect(readFileSync(join(node('pg-sync').paths.dataDir, 'postgresql.auto.conf'), 'utf8')).not.toContain('primary_conninfo');

      // A synchronous commit returns only because pg-sync confirms it.
      const primary = node('pg-primary');
      const app = new pg.Client({ host: '127.0.0.1', port: primary.port.listenPort, user: 'app', database: 'app', password: PASSWORDS.REAL_APP_PASSWORD, query_timeout: 10_000 });
      await app.connect();
      try {
        await app.query('CREATE TABLE t (id int PRIMARY KEY)');
        await app.query('INSERT INTO t VALUES (1)');
      } finally {
        await app.end();
      }
      const replica = new pg.Client({ host: '127.0.0.1', port: node('pg-sync').port.listenPort, user: 'app', database: 'app', password: PASSWORDS.REAL_APP_PASSWORD });
      await replica.connect();
      try {
        expect((await replica.query('SELECT pg_is_in_recovery() AS standby, (SELECT count(*) FROM t)::int AS n')).rows).toEqual([{ standby: true, n: 1 }]);
      } finally {
        await replica.end();
      }
    });

    it('runs the entrypoint as root the way the image does, handing PGDATA to postgres through gosu', async () => {
      await startReplica('pg-async', { asRoot: true });
      await waitFor('pg-async to stream', async () => ((await replicationState(spec)).get("async replica's")?.state === 'streaming' ? true : undefined));
      const dataDir = statSync(node('pg-async').paths.dataDir);
      expect(dataDir.mode & 0o777).toBe(0o700);
      expect(dataDir.uid).toBe(statSync(node('pg-primary').paths.dataDir).uid);
      expect((await replicationState(spec)).get("async replica's")?.sync_state).toBe('async');
    });

    it('restarts a replica on its own data: no second clone, standby again, streaming again', async () => {
      const n = node('pg-sync');
      const marker = join(n.paths.dataDir, 'pgsynth-test-kept');
      writeFileSync(marker, 'kept');
      await stopServer(servers.get('pg-sync')!);
      servers.delete('pg-sync');
      const logBefore = readFileSync(join(spec.localDir, 'pg-sync.log'), 'utf8');

      const server = await startReplica('pg-sync');
      const log = server.log().slice(logBefore.length);
      // standby.signal stays: it was never promoted, so it starts as a standby without asking its peers.
      expect(log).toMatch(/pgsynth: starting on the data in \S+ \(standby\)/);
      expect(log).not.toContain('cloning');
      expect(readFileSync(marker, 'utf8')).toBe('kept');
      await waitFor('pg-sync to stream again', async () => ((await replicationState(spec)).get('pg-sync')?.state === 'streaming' ? true : undefined));
    });

    it('makes its own slot when the primary has none for it (a replica added to a running cluster)', async () => {
      const n = node('pg-sync');
      await stopServer(servers.get('pg-sync')!);
      servers.delete('pg-sync');
      await query(spec, "SELECT pg_drop_replication_slot('pg_sync')");
      rmSync(n.paths.dataDir, { recursive: true, force: true });
      mkdirSync(n.paths.dataDir, { mode: 0o700 });
      giveToPostgres(n.paths.dataDir);

      const server = await startReplica('pg-sync');
      await waitFor('pg-sync to stream on its new slot', async () => ((await replicationState(spec)).get('pg-sync')?.state === 'streaming' ? true : undefined));
      expect(server.log()).toContain('cloning');
      expect(await query(spec, "SELECT active FROM pg_replication_slots WHERE slot_name = 'pg_sync'")).toEqual([{ active: true }]);
    });

    it('refuses, and deletes nothing, when the data directory is neither empty nor a finished clone', async () => {
      const base = node('pg-sync');
      const attempt = async (name: string, files: Record<string, string>) => {
        const dataDir = join(root.dir, name, 'data');
        const configDir = join(root.dir, name);
        mkdirSync(dataDir, { recursive: true, mode: 0o700 });
        giveToPostgres(configDir);
        giveToPostgres(dataDir);
        for (const [file, content] of Object.entries(files)) writeFile(join(dataDir, file), content);
        const fake = { ...base, paths: { ...base.paths, dataDir, configDir } };
        const script = writeScript(join(configDir, 'entrypoint.sh'), renderReplicaEntrypoint(spec, fake));
        const result = await run('bash', [script], { env: secretsEnv(), postgres: true });
        for (const [file, content] of Object.entries(files)) expect(readFileSync(join(dataDir, file), 'utf8')).toBe(content);
        return result;
      };

      const foreign = await attempt('foreign', { 'notes.txt': 'precious' });
      expect(foreign.status).toBe(1);
      expect(foreign.stderr).toMatch(/is not empty but holds no data directory \(no PG_VERSION\)\. Nothing was deleted/);

      const unfinished = await attempt('unfinished', { PG_VERSION: `${spec.postgresVersion}\n`, backup_label: 'START WAL LOCATION: 0/2000028\n' });
      expect(unfinished.status).toBe(1);
      expect(unfinished.stderr).toMatch(/holds an unfinished clone \(PG_VERSION but no backup_manifest\)\. Nothing was deleted/);

      const noPassword = await run('bash', [join(root.dir, 'foreign', 'entrypoint.sh')], { env: env(), postgres: true });
      expect(noPassword.status).toBe(1);
      expect(noPassword.stderr).toContain("pgsynth: REAL_REPLICATION_PASSWORD is not set or empty: it holds the password of the replication role 'replicator'.");
    });
  },
);
