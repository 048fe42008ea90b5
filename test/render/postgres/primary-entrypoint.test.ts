// The primary's generated entrypoint.sh run by the host's real PostgreSQL, outside Docker: the
// same script the compose suite runs in containers, here driven into its failure paths.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, PgPool, Primary, Replica } from '../../../src/index.js';
import { findFreePorts } from '../../support/ports.js';
import type { ClusterSpec, PostgresNodeSpec } from '../../../src/model/spec.js';
import { renderPgHbaConf, renderPostgresqlConf, renderPrimaryEntrypoint, renderPrimaryInitScript } from '../../../src/render/postgres/index.js';
import { hostPostgres } from '../../support/binaries.js';
import { giveToPostgres, requireServerUser, run, startServer, stopServer, tempRoot, writeFile, type RunningServer } from '../../support/postgres-runner.js';

const PASSWORDS = { EP_POSTGRES_PASSWORD: 'super secret', EP_REPLICATION_PASSWORD: 'repl-1', EP_APP_PASSWORD: 'app-1', EP_PGPOOL_PASSWORD: 'pool-1' };

// The host's PostgreSQL, found as synth up finds it; a missing one fails with the package to install.
const host = hostPostgres();
requireServerUser();

describe(`the primary entrypoint on the host's PostgreSQL ${host.major}`, () => {
  let root: ReturnType<typeof tempRoot>;
  let spec: ClusterSpec;
  let primary: PostgresNodeSpec;
  let script: string;
  let server: RunningServer | undefined;

  const env = (extra: Record<string, string>) => ({ ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PG'))), ...extra });
  const claim = () => join(spec.localDir, 'cluster-state', 'primary');
  const entrypoint = (extra: Record<string, string>) => run('bash', [script], { env: env(extra), postgres: true, timeoutMs: 60_000 });

  beforeAll(async () => {
    root = tempRoot('primary-entrypoint');
    const [p0, p1, p2] = await findFreePorts(3);
    const cluster = new Cluster({ name: 'ep', postgresVersion: host.major });
    const node = new Primary(cluster, 'pg-primary', { hostPort: p0!, database: 'app' });
    // A synchronous standby that does not exist: the bootstrap must not wait for it.
    const replica = new Replica(cluster, 'pg-replica', { primary: node, hostPort: p1!, synchronous: true });
    new PgPool(cluster, 'pgpool', { backends: [node, replica], hostPort: p2! });
    spec = cluster.resolve({ target: 'local', localDir: join(root.dir, 'local') });
    primary = spec.postgres[0]!;
    for (const dir of [spec.localDir, primary.paths.configDir, primary.paths.socketDir, dirname(primary.paths.dataDir)]) {
      mkdirSync(dir, { recursive: true, mode: 0o755 });
      giveToPostgres(dir);
    }
    writeFile(join(primary.paths.configDir, 'postgresql.conf'), renderPostgresqlConf(spec, primary));
    writeFile(join(primary.paths.configDir, 'pg_hba.conf'), renderPgHbaConf(spec, primary));
    writeFile(join(primary.paths.configDir, 'init.sh'), renderPrimaryInitScript(spec, primary), 0o755);
    script = join(primary.paths.configDir, 'entrypoint.sh');
    writeFile(script, renderPrimaryEntrypoint(spec, primary), 0o755);
  });
  afterAll(async () => {
    if (server) await stopServer(server);
    root?.cleanup();
  });

  it('refuses a data directory holding something else, and deletes nothing', async () => {
    mkdirSync(primary.paths.dataDir, { recursive: true, mode: 0o700 });
    giveToPostgres(primary.paths.dataDir);
    const stray = join(primary.paths.dataDir, 'notes.txt');
    writeFile(stray, 'mine');
    const result = await entrypoint(PASSWORDS);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('is not empty but holds no data directory (no PG_VERSION). Nothing was deleted');
    expect(existsSync(stray)).toBe(true);
    await run('rm', ['-f', stray]);
  });

  it('without the superuser password, stops before initdb and names the variable', async () => {
    const { EP_POSTGRES_PASSWORD: _, ...rest } = PASSWORDS;
    const result = await entrypoint(rest);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("EP_POSTGRES_PASSWORD is not set or empty: it holds the password of the superuser 'postgres'.");
    expect(readdirSync(primary.paths.dataDir)).toEqual([]);
  });

  it('a bootstrap that fails (a password missing) leaves initdb done, no marker and no server running', async () => {
    const result = await entrypoint({ ...PASSWORDS, EP_APP_PASSWORD: '' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("pgsynth: EP_APP_PASSWORD is not set or empty: it holds the password of the application role 'app'");
    expect(result.stderr).toContain('the bootstrap failed (see above); it runs again on the next start.');
    expect(existsSync(join(primary.paths.dataDir, 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(primary.paths.dataDir, 'pgsynth-bootstrap.done'))).toBe(false);
    expect(existsSync(join(primary.paths.dataDir, 'postmaster.pid'))).toBe(false);
    // A fresh initdb asks no peer: nothing could have replaced it.
    expect(result.stdout + result.stderr).not.toContain('no peer is a primary');
  });

  it('the next start runs the bootstrap again, then serves with the generated config: SCRAM logins over TCP', async () => {
    server = await startServer('bash', [script], { dataDir: primary.paths.dataDir, logFile: join(root.dir, 'primary.log'), env: env(PASSWORDS), timeoutMs: 60_000 });
    expect(server.log()).toContain('pgsynth: bootstrap (roles, slots, database) on a server listening on the Unix socket only');
    expect(server.log()).not.toContain('pgsynth: initdb');
    expect(existsSync(join(primary.paths.dataDir, 'pgsynth-bootstrap.done'))).toBe(true);
    const app = new pg.Client({ host: '127.0.0.1', port: primary.port.listenPort, user: 'app', database: 'app', password: PASSWORDS.EP_APP_PASSWORD });
    await app.connect();
    const { rows } = await app.query<{ sync: string }>('SELECT current_setting($1) AS sync', ['synchronous_standby_names']);
    await app.end();
    // The bootstrap server ran without it; the real one has it from postgresql.conf.
    expect(rows).toEqual([{ sync: 'FIRST 1 ("pg-replica")' }]);
    for (const password of Object.values(PASSWORDS)) expect(server.log()).not.toContain(password);
  });

  it('a restart on the finished data directory runs neither initdb nor the bootstrap', async () => {
    await stopServer(server!);
    const before = server!.log().length;
    server = await startServer('bash', [script], { dataDir: primary.paths.dataDir, logFile: join(root.dir, 'primary.log'), env: env(PASSWORDS), timeoutMs: 60_000 });
    expect(server.log().slice(before)).not.toMatch(/pgsynth: (initdb|bootstrap)/);
    // Fencing: it last ran as a primary, so it asked its peer (nothing listens there) first.
    expect(server.log().slice(before)).toContain('pgsynth: no peer is a primary on a newer timeline than 1 (or none answers) and no claim names another node: starting as the primary');
    // Started as the primary, it claims so (src/render/cluster-state.ts), atomically and readable by every container.
    expect(readFileSync(claim(), 'utf8')).toBe(`pg-primary ${primary.address.host} ${primary.address.port} 1\n`);
    expect(statSync(claim()).mode & 0o777).toBe(0o644);
    expect(readdirSync(dirname(claim()))).toEqual(['primary']);
  });

  it('a claim naming another node on a newer timeline keeps it from starting as the primary, even with no peer running, and deletes nothing', async () => {
    await stopServer(server!);
    server = undefined;
    const replica = spec.postgres[1]!;
    writeFile(claim(), `pg-replica ${replica.address.host} ${replica.address.port} 2\n`);
    giveToPostgres(claim());
    const before = readdirSync(primary.paths.dataDir).sort();
    // The generated wait is 240 s: shortened here so that the refusal shows within the test.
    const shortWait = join(root.dir, 'entrypoint-short-wait.sh');
    writeFile(shortWait, readFileSync(script, 'utf8').replace('readonly CLAIM_WAIT=240', 'readonly CLAIM_WAIT=4'), 0o755);
    const result = await run('bash', [shortWait], { env: env(PASSWORDS), postgres: true, timeoutMs: 60_000 });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`pgsynth: the claim in ${claim()} names pg-replica the primary on timeline 2, newer than this node's 1: waiting for it to accept writes, then rejoining it`);
    expect(result.stderr).toContain('pgsynth: no peer accepted writes on a timeline newer than 1 within 4 s, and pg-replica holds writes this node lacks, so it does not start as the primary');
    expect(result.stdout + result.stderr).not.toContain('starting as the primary');
    expect(existsSync(join(primary.paths.dataDir, 'postmaster.pid'))).toBe(false);
    expect(readdirSync(primary.paths.dataDir).sort()).toEqual(before);
    expect(existsSync(join(primary.paths.dataDir, 'standby.signal'))).toBe(false);
    // The claim is left as it was: only a node starting as the primary writes it.
    expect(readFileSync(claim(), 'utf8')).toBe(`pg-replica ${replica.address.host} ${replica.address.port} 2\n`);
  });

  it('a claim naming itself, or another node on an older timeline, lets it start as the primary again', async () => {
    const replica = spec.postgres[1]!;
    writeFile(claim(), `pg-replica ${replica.address.host} ${replica.address.port} 1\n`);
    giveToPostgres(claim());
    server = await startServer('bash', [script], { dataDir: primary.paths.dataDir, logFile: join(root.dir, 'primary.log'), env: env(PASSWORDS), timeoutMs: 60_000 });
    expect(readFileSync(claim(), 'utf8')).toBe(`pg-primary ${primary.address.host} ${primary.address.port} 1\n`);
  });

  it('an empty data directory is not initialized while the claim names another node (it would be a second, empty primary)', async () => {
    await stopServer(server!);
    server = undefined;
    const kept = `${primary.paths.dataDir}.kept`;
    renameSync(primary.paths.dataDir, kept);
    try {
      mkdirSync(primary.paths.dataDir, { mode: 0o700 });
      giveToPostgres(primary.paths.dataDir);
      const replica = spec.postgres[1]!;
      writeFile(claim(), `pg-replica ${replica.address.host} ${replica.address.port} 2\n`);
      giveToPostgres(claim());
      const result = await entrypoint(PASSWORDS);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('is empty, but the claim in');
      expect(result.stderr).toContain('names pg-replica the primary (timeline 2): an initdb here would start a second, empty primary. Nothing was done');
      expect(result.stdout).not.toContain('pgsynth: initdb');
      expect(readdirSync(primary.paths.dataDir)).toEqual([]);
    } finally {
      rmSync(primary.paths.dataDir, { recursive: true, force: true });
      renameSync(kept, primary.paths.dataDir);
    }
  });
});
