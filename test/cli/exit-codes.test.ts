/**
 * One exit-code taxonomy for every command (src/cli/exit-codes.ts): 0 success, 1 the config or
 * the files on disk refused, 2 usage or loading, 3 the cluster failed at runtime. Each command is
 * driven into each code it can return, through the real command line.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_CODES, ExitCode, exitCodeOf } from '../../src/cli/exit-codes.js';
import { runtimeCommand } from '../../src/cli/run.js';
import { LocalRunError, LocalSetupError } from '../../src/process/errors.js';
import { findFreePorts } from '../support/ports.js';
import { WriterError } from '../../src/writer/writer.js';
import { ConfigLoadError } from '../../src/cli/load-config.js';
import { projectWith, README_CONFIG, synthCli } from './harness.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const dirs: string[] = [];
const project = (config: string) => {
  const dir = projectWith(config);
  chmodSync(dir, 0o755); // synth up as root hands folders to the postgres user
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const BROKEN = README_CONFIG.replace('hostPort: 5613 }', 'hostPort: 5612 }'); // two nodes on one port: PGS error

/** The README config on free ports and PostgreSQL 15, so `up` gets as far as the environment allows. */
async function localConfig(): Promise<{ config: string; ports: number[] }> {
  const ports = await findFreePorts(8);
  const [a, b, c, pool, pcp, rw, ro, stats] = ports;
  const config = README_CONFIG.replace('postgresVersion: 17', 'postgresVersion: 15')
    .replace('hostPort: 5611', `hostPort: ${a}`)
    .replace('hostPort: 5612', `hostPort: ${b}`)
    .replace('hostPort: 5613', `hostPort: ${c}`)
    .replace('hostPort: 9999,', `hostPort: ${pool}, pcpHostPort: ${pcp},`)
    .replace('hostPort: 5100', `hostPort: ${rw}`)
    .replace('hostPort: 5101', `hostPort: ${ro}`)
    .replace('hostPort: 8406', `hostPort: ${stats}`);
  return { config, ports };
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('synth (write) and --check', () => {
  it('0 written, 1 errors in the config, 2 no config or a wrong option', async () => {
    expect((await synthCli(project(README_CONFIG))).code).toBe(ExitCode.ok);
    expect((await synthCli(project(BROKEN))).code).toBe(ExitCode.refused);
    const empty = mkdtempSync(join(tmpdir(), 'pgsynth-exit-'));
    dirs.push(empty);
    expect((await synthCli(empty)).code).toBe(ExitCode.usage);
    expect((await synthCli(empty, '--frobnicate')).code).toBe(ExitCode.usage);
  });

  it('1 when the writer refuses: a hand edit (PGS900), a symlink out of the output directory (PGS902)', async () => {
    const dir = project(README_CONFIG);
    expect((await synthCli(dir)).code).toBe(ExitCode.ok);
    const conf = join(dir, 'cluster/pg-primary/postgresql.conf');
    writeFileSync(conf, `${readFileSync(conf, 'utf8')}# mine\n`);
    const edited = await synthCli(dir);
    expect(edited).toMatchObject({ code: ExitCode.refused, stderr: expect.stringContaining('PGS900') });

    const other = project(README_CONFIG);
    const outside = mkdtempSync(join(tmpdir(), 'pgsynth-exit-outside-'));
    dirs.push(outside);
    mkdirSync(join(other, 'cluster'));
    symlinkSync(outside, join(other, 'cluster', 'haproxy'));
    const escaped = await synthCli(other);
    expect(escaped).toMatchObject({ code: ExitCode.refused, stderr: expect.stringContaining('PGS902') });
  });

  it('--check: 0 up to date, 1 with a diff, in the right number ("1 file differs")', async () => {
    const dir = project(README_CONFIG);
    await synthCli(dir);
    expect((await synthCli(dir, '--check')).code).toBe(ExitCode.ok);
    const conf = join(dir, 'cluster/pg-primary/postgresql.conf');
    writeFileSync(conf, `${readFileSync(conf, 'utf8')}# mine\n`);
    const one = await synthCli(dir, '--check');
    expect(one.code).toBe(ExitCode.refused);
    expect(one.stdout).toContain('cluster: 1 file differs from cluster.config.ts; run synth to update it');
    const hba = join(dir, 'cluster/pg-primary/pg_hba.conf');
    writeFileSync(hba, `${readFileSync(hba, 'utf8')}# mine\n`);
    expect((await synthCli(dir, '--check')).stdout).toContain('cluster: 2 files differ from cluster.config.ts; run synth to update them');
  });
});

describe('validate, init, explain', () => {
  it('validate: 0 clean or warnings, 1 errors, 2 a config that throws', async () => {
    expect((await synthCli(project(README_CONFIG), 'validate')).code).toBe(ExitCode.ok);
    expect((await synthCli(project(BROKEN), 'validate')).code).toBe(ExitCode.refused);
    expect((await synthCli(project("throw new Error('boom');\n"), 'validate')).code).toBe(ExitCode.usage);
  });

  it('init: 0 written, 2 when a config exists', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgsynth-exit-'));
    dirs.push(dir);
    expect((await synthCli(dir, 'init')).code).toBe(ExitCode.ok);
    expect((await synthCli(dir, 'init')).code).toBe(ExitCode.usage);
  });

  it('explain: 0 a rule, 2 an unknown code or none', async () => {
    const dir = project(README_CONFIG);
    expect((await synthCli(dir, 'explain', 'PGS053')).code).toBe(ExitCode.ok);
    expect((await synthCli(dir, 'explain', 'PGS998')).code).toBe(ExitCode.usage);
    expect((await synthCli(dir, 'explain')).code).toBe(ExitCode.usage);
  });
});

describe('up, down, status', () => {
  it('up: 1 errors in the config, 2 no config, 3 a port in use, 3 a PostgreSQL major not installed', async () => {
    expect((await synthCli(project(BROKEN), 'up')).code).toBe(ExitCode.refused);
    const empty = mkdtempSync(join(tmpdir(), 'pgsynth-exit-'));
    dirs.push(empty);
    expect((await synthCli(empty, 'up')).code).toBe(ExitCode.usage);

    const { config, ports } = await localConfig();
    const dir = project(config);
    const blocker = await listen(ports[0]!);
    try {
      const busy = await synthCli(dir, 'up');
      expect(busy).toMatchObject({ code: ExitCode.runtime, stderr: expect.stringContaining('Already in use') });
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    const pg17 = project(config.replace('postgresVersion: 15', 'postgresVersion: 17'));
    const missing = await synthCli(pg17, 'up', '--pg-bin', '/usr/lib/postgresql/15/bin');
    expect(missing).toMatchObject({ code: ExitCode.runtime, stderr: expect.stringContaining('PostgreSQL 17') });
  });

  it('status: 3 while the cluster is not running; down: 0 with nothing to stop, 1 refusing to purge a folder synth up did not make', async () => {
    const { config } = await localConfig();
    const dir = project(config);
    const status = await synthCli(dir, 'status');
    expect(status.code).toBe(ExitCode.runtime);
    expect(status.stdout).toMatch(/pg-primary\s+stopped/);
    expect((await synthCli(dir, 'down')).code).toBe(ExitCode.ok);
    mkdirSync(join(dir, '.pgsynth/local/shop'), { recursive: true });
    writeFileSync(join(dir, '.pgsynth/local/shop/notes.txt'), 'mine\n');
    const purge = await synthCli(dir, 'down', '--purge');
    expect(purge).toMatchObject({ code: ExitCode.refused, stderr: expect.stringContaining('not made by synth up') });
    expect(readFileSync(join(dir, '.pgsynth/local/shop/notes.txt'), 'utf8')).toBe('mine\n');
  });

  it('an unexpected error while driving the cluster is a runtime failure (3), printed with its stack', async () => {
    const err: string[] = [];
    const code = await runtimeCommand({ out: () => {}, err: (l) => err.push(l), color: false }, () => Promise.reject(new Error('Connection terminated unexpectedly')));
    expect(code).toBe(ExitCode.runtime);
    expect(err.join('\n')).toMatch(/Connection terminated unexpectedly\n\s+at /);
  });
});

describe('the taxonomy', () => {
  it('maps every error kind the commands throw', () => {
    expect(exitCodeOf(new WriterError('PGS902', ['a'], 'unsafe', 'fix'))).toBe(ExitCode.refused);
    expect(exitCodeOf(new LocalSetupError('NOT_A_LOCAL_CLUSTER', 'm', 'f'))).toBe(ExitCode.refused);
    expect(exitCodeOf(new LocalRunError('WAIT_TIMEOUT', 'Timed out waiting for standbys to stream'))).toBe(ExitCode.runtime);
    expect(exitCodeOf(new LocalRunError('SERVER_SPAWN_FAILED', 'postgres exited'))).toBe(ExitCode.runtime);
    expect(exitCodeOf(new LocalSetupError('PORT_IN_USE', 'm', 'f'))).toBe(ExitCode.runtime);
    expect(exitCodeOf(new ConfigLoadError('no cluster.config.ts'))).toBe(ExitCode.usage);
    // a later command's own error declares its code
    expect(exitCodeOf(Object.assign(new Error('no standby to promote'), { fix: 'f', exitCode: ExitCode.refused }))).toBe(ExitCode.refused);
  });

  it('is the table in the README and the end of --help', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| (\d) \| (.+) \|$/gm)].map((m) => ({ code: Number(m[1]), meaning: m[2] }));
    expect(rows).toEqual(EXIT_CODES.map(({ code, meaning }) => ({ code, meaning })));
    const help = await synthCli(project(README_CONFIG), '--help');
    for (const { code, meaning } of EXIT_CODES) expect(help.stdout).toContain(`  ${code}  ${meaning}`);
  });
});
