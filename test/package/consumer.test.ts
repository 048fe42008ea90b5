import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packTarball, ROOT } from './pack.js';

// The test that proves the README: pack the library as npm would publish it, install the tarball
// into a fresh consumer project, and use it there the way the README says.

const ours = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };

const README_EXAMPLE = readFileSync(join(ROOT, 'README.md'), 'utf8').match(/`cluster\.config\.ts`:\n\n```ts\n([\s\S]*?)```/)?.[1];

let work: string;
let consumer: string;
let tarball: string;

function run(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  // CI=true: vitest must not write snapshots unless asked (-u), as in a consumer's CI.
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1' }, timeout: 180_000 });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'pgsynth-consumer-'));
  tarball = packTarball(work);
  consumer = join(work, 'consumer');
  mkdirSync(join(consumer, 'test'), { recursive: true });
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module', devDependencies: { pgsynth: `file:${tarball}`, vitest: ours.devDependencies.vitest } }, null, 2),
  );
  const install = run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], consumer);
  if (install.status !== 0) throw new Error(`npm install in the consumer failed:\n${install.stderr}`);
  writeFileSync(join(consumer, 'cluster.config.ts'), README_EXAMPLE!);
  writeFileSync(
    join(consumer, 'test/cluster.test.ts'),
    `import { expect, test } from 'vitest';
import { synthToMemory } from 'pgsynth/testing';
import cluster from '../cluster.config';

test('cluster files', () => {
  expect(synthToMemory(cluster)).toMatchSnapshot();
});
`,
  );
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

// Each test runs whole programs in the consumer (npx synth, vitest, tsc, publint, attw): CPU-bound,
// seconds on an idle core, far more while other test files start servers beside them.
const CHILD_PROCESSES = { timeout: 180_000 };

describe('pgsynth installed from its packed tarball', CHILD_PROCESSES, () => {
  it('has the README example to test', () => {
    expect(README_EXAMPLE).toContain("new Cluster({ name: 'shop', postgresVersion: 17 })");
  });

  it('npx synth writes the files; --check passes, then fails after a hand edit', () => {
    const synth = run('npx', ['synth'], consumer);
    expect(synth.status, synth.stderr).toBe(0);
    expect(synth.stdout).toContain('created cluster/docker-compose.yml');
    expect(synth.stdout).toContain('cluster.config.ts:4:17 warning PGS053 shop/pg-primary');
    expect(run('npx', ['synth', '--check'], consumer).status).toBe(0);

    const conf = join(consumer, 'cluster/pgpool/pgpool.conf');
    const original = readFileSync(conf, 'utf8');
    writeFileSync(conf, original.replace('num_init_children', '# num_init_children'));
    const drift = run('npx', ['synth', '--check'], consumer);
    expect(drift.status).toBe(1);
    expect(drift.stdout).toContain('+++ b/pgpool/pgpool.conf');
    const refused = run('npx', ['synth'], consumer);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('pgpool/pgpool.conf');
    writeFileSync(conf, original);
  });

  it('npx pgsynth validate reports settings checked against the installed catalog', () => {
    const dir = join(work, 'settings');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'cluster.config.mjs'),
      `import { Cluster, Primary } from '${join(consumer, 'node_modules/pgsynth/dist/index.js')}';
const cluster = new Cluster({ name: 'shop', postgresVersion: 16 });
new Primary(cluster, 'pg-primary', { hostPort: 5611, settings: { shared_bufers: '1GB' } });
export default cluster;
`,
    );
    const result = run(join(consumer, 'node_modules/.bin/pgsynth'), ['validate'], dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/cluster\.config\.mjs:3:1 error PGS301 shop\/pg-primary settings\.shared_bufers: unknown parameter "shared_bufers" for PostgreSQL 16; did you mean "shared_buffers"\?/);
  });

  it("runs a snapshot test in the consumer with pgsynth/testing's synthToMemory", () => {
    const record = run('npx', ['vitest', 'run', '-u'], consumer);
    expect(record.status, record.stdout + record.stderr).toBe(0);
    const snapshot = readFileSync(join(consumer, 'test/__snapshots__/cluster.test.ts.snap'), 'utf8');
    expect(snapshot).toContain('"pg-replica1/postgresql.conf"');
    expect(run('npx', ['vitest', 'run'], consumer).status).toBe(0);

    writeFileSync(join(consumer, 'cluster.config.ts'), README_EXAMPLE!.replace('maxPool: 4', 'maxPool: 3'));
    const changed = run('npx', ['vitest', 'run'], consumer);
    expect(changed.status).toBe(1);
    expect(changed.stdout + changed.stderr).toContain('max_pool');
    writeFileSync(join(consumer, 'cluster.config.ts'), README_EXAMPLE!);
  });

  it('type-checks against the shipped declarations', () => {
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, types: [] }, include: ['cluster.config.ts'] }),
    );
    const tsc = run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', '.'], consumer);
    expect(tsc.status, tsc.stdout).toBe(0);
  });
});

describe('package metadata', CHILD_PROCESSES, () => {
  it('is clean for publint and are-the-types-wrong', () => {
    const publint = run(process.execPath, [join(ROOT, 'node_modules/publint/src/cli.js'), '--strict'], ROOT);
    expect(publint.status, publint.stdout + publint.stderr).toBe(0);
    const attw = run(join(ROOT, 'node_modules/.bin/attw'), [tarball, '--profile', 'esm-only'], ROOT);
    expect(attw.status, attw.stdout + attw.stderr).toBe(0);
  });
});
