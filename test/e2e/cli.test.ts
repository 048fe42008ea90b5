/**
 * End to end through the command line: `synth up`, `status`, `down` in a temporary project
 * directory (cwd-relative .pgsynth/local/shop), as a user would run them.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Output } from '../../src/cli/output.js';
import { runCli } from '../../src/cli/run.js';
import { isPortFree } from '../../src/process/ports.js';
import { SUPPORTED_POSTGRES_VERSIONS } from '../../src/model/cluster.js';
import { hostPostgres } from '../support/binaries.js';
import { readmePorts, sql, workDir, type ReadmePorts } from './readme-cluster.js';

const REPO = resolve(import.meta.dirname, '../..');
const project = workDir('pgsynth-e2e-cli-');
const localDir = join(project, '.pgsynth', 'local', 'shop');
const previousCwd = process.cwd();
let ports: ReadmePorts;

function config(p: ReadmePorts, postgresVersion: number = hostPostgres().major): string {
  return `import { Cluster, Primary, Replica, PgPool, Haproxy } from '${REPO}/src/index.js';

const cluster = new Cluster({ name: 'shop', postgresVersion: ${postgresVersion} });
const primary = new Primary(cluster, 'pg-primary', { hostPort: ${p.primary}, database: 'app' });
const r1 = new Replica(cluster, 'pg-replica1', { primary, hostPort: ${p.replica1}, synchronous: true });
const r2 = new Replica(cluster, 'pg-replica2', { primary, hostPort: ${p.replica2} });
const pgpool = new PgPool(cluster, 'pgpool', { backends: [primary, r1, r2], hostPort: ${p.pgpool}, pcpHostPort: ${p.pcp}, numInitChildren: 32, maxPool: 4, loadBalance: true });
new Haproxy(cluster, 'haproxy', { upstream: pgpool, readWrite: { hostPort: ${p.rw} }, readOnly: { hostPort: ${p.ro} }, stats: { hostPort: ${p.stats} } });

export default cluster;
`;
}

async function synth(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const o: Output = { out: (line) => out.push(line), err: (line) => err.push(line), color: false };
  const code = await runCli(argv, o);
  return { code, out, err };
}

/** A supported major that is not the host's, for the not-installed test. */
const otherMajor = () => SUPPORTED_POSTGRES_VERSIONS.filter((m) => m !== hostPostgres().major).at(-1)!;

const appPassword = () => /^SHOP_APP_PASSWORD=(.+)$/m.exec(readFileSync(join(localDir, 'secrets.env'), 'utf8'))![1]!;
const app = (port: number) => ({ host: '127.0.0.1', port, user: 'app', password: appPassword(), database: 'app' });

beforeAll(async () => {
  ports = await readmePorts();
  writeFileSync(join(project, 'cluster.config.ts'), config(ports));
  writeFileSync(join(project, 'other-major.config.ts'), config(ports, otherMajor()));
  process.chdir(project);
  // The first load of a config compiles pgsynth's sources through jiti: seconds on a busy
  // machine, paid here rather than inside the first test's 20 s.
  expect((await synth('validate', '--config', 'other-major.config.ts')).code).toBe(0);
});

afterAll(async () => {
  await synth('down', '--purge').catch(() => {});
  process.chdir(previousCwd);
  rmSync(project, { recursive: true, force: true });
}, 60_000);

describe('synth up / status / down', () => {
  test('a PostgreSQL major that is not installed: exit 3, naming the package and the installed major', async () => {
    const host = hostPostgres();
    const { code, err } = await synth('up', '--config', 'other-major.config.ts', '--pg-bin', host.binDir);
    expect(code).toBe(3);
    expect(err.join('\n')).toContain(`PostgreSQL ${host.version}, but the cluster needs PostgreSQL ${otherMajor()}`);
    expect(err.join('\n')).toMatch(new RegExp(`apt-get install postgresql-${otherMajor()}.*postgresVersion: ${host.major}`, 's'));
    expect(existsSync(localDir)).toBe(false);
  });

  test('up from nothing: one line per step with its duration, then the URLs', async () => {
    const { code, out } = await synth('up');
    expect(code).toBe(0);
    const text = out.join('\n');
    for (const step of [
      'find binaries',
      'initdb pg-primary',
      'start pg-primary',
      'bootstrap pg-primary',
      'base backup pg-replica1 from pg-primary',
      'base backup pg-replica2 from pg-primary',
      'start pg-replica1',
      'start pg-replica2',
      'pg-replica1, pg-replica2 streaming from pg-primary',
      'start pgpool',
      'pgpool ready',
      'start haproxy',
      'haproxy ready',
    ]) {
      expect(text).toMatch(new RegExp(`^✓ ${step.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.* \\(\\d+\\.\\d\\d s\\)$`, 'm'));
    }
    expect(text).toMatch(/^shop is ready in \d+\.\d\d s \(\.pgsynth\/local\/shop\)$/m);
    expect(text).toContain(`postgresql://app@127.0.0.1:${ports.rw}/app`);
    expect(text).toMatch(/SHOP_APP_PASSWORD\s+in \.pgsynth\/local\/shop\/secrets\.env/);
    expect(text).not.toContain(appPassword());
    await sql(app(ports.primary), 'CREATE TABLE kept (id int PRIMARY KEY, body text)');
    await sql(app(ports.rw), 'INSERT INTO kept VALUES (1, $1)', ['survives down and up']);
  });

  test('a second up on the running cluster does nothing', async () => {
    const { code, out } = await synth('up');
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/^shop is already running in \.pgsynth\/local\/shop: nothing to do\.$/m);
    expect(out.filter((line) => line.startsWith('✓'))).toEqual([]);
  });

  test('status shows every service with its PID, port, role and lag', async () => {
    const { code, out } = await synth('status');
    expect(code).toBe(0);
    const row = (id: string) => out.find((line) => line.trim().startsWith(`${id} `)) ?? '';
    expect(row('pg-primary')).toMatch(new RegExp(`^\\s*pg-primary\\s+\\d+\\s+${ports.primary}\\s+primary\\s+timeline 1\\b`));
    expect(row('pg-replica1')).toMatch(new RegExp(`\\d+\\s+${ports.replica1}\\s+standby\\s+streaming from pg-primary \\(sync\\), .* behind, replay lag .*, timeline 1\\b`));
    expect(row('pg-replica2')).toMatch(new RegExp(`\\d+\\s+${ports.replica2}\\s+standby\\s+streaming from pg-primary \\(async\\)`));
    expect(row('pgpool')).toMatch(/3\/3 nodes up/);
    expect(row('haproxy')).toMatch(new RegExp(`\\d+\\s+${ports.rw}\\s+haproxy`));
    // Sessions in use against each ceiling (numInitChildren 32; read-only: 32 per standby).
    expect(out[1]).toMatch(/STATE\s+SESSIONS$/);
    expect(row('pgpool')).toMatch(/\s\d+\/32$/);
    expect(row('haproxy')).toMatch(/\srw \d+\/32, ro \d+\/64, \d+ queued$/);
    expect(row('pg-primary')).toMatch(/\s\d+\/177$/);
  });

  test('down stops HAProxy, Pgpool-II, the replicas, then the primary, and frees every port', async () => {
    const { code, out } = await synth('down');
    expect(code).toBe(0);
    const stops = out.filter((line) => line.startsWith('✓ stop')).map((line) => /^✓ stop (\S+)/.exec(line)![1]);
    expect(stops.slice(0, 2)).toEqual(['haproxy', 'pgpool']);
    expect(stops.slice(2, 4).sort()).toEqual(['pg-replica1', 'pg-replica2']);
    expect(stops[4]).toBe('pg-primary');
    expect(out.join('\n')).toMatch(/shop: stopped 5 services in \d+\.\d\d s; data kept in \.pgsynth\/local\/shop/);
    for (const port of Object.values(ports)) expect(await isPortFree('127.0.0.1', port), `port ${port}`).toBe(true);
    const status = await synth('status');
    expect(status.out.filter((line) => /\bstopped\b/.test(line))).toHaveLength(5);
  });

  test('up after down starts the existing data: no initdb, no base backup, the row is still there', async () => {
    const { code, out } = await synth('up');
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).not.toMatch(/initdb|base backup/);
    expect(text).toMatch(/^✓ start pg-primary/m);
    expect(text).toMatch(/^shop is ready in/m);
    for (const port of [ports.primary, ports.replica1, ports.replica2, ports.pgpool, ports.ro]) {
      expect(await sql(app(port), 'SELECT body FROM kept'), `port ${port}`).toEqual([{ body: 'survives down and up' }]);
    }
  });

  test('down --purge deletes the local directory once everything stopped', async () => {
    const { code, out } = await synth('down', '--purge');
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/deleted \.pgsynth\/local\/shop/);
    expect(existsSync(localDir)).toBe(false);
  });
});
