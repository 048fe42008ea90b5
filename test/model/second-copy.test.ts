// A config loaded through jiti may import a second copy of pgsynth: the one in the user's
// node_modules next to a global CLI, or a helper package with its own. pgsynth recognises its
// instances by brand (Symbol.for), so constructs and errors of either copy are understood by the
// other. The second copy here is a real bundle of src/ in a temp project's node_modules/pgsynth.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPgsynthOnce, synthCli, SRC_INDEX } from '../cli/harness.js';
import { Cluster, Haproxy, PgPool, PgsynthError, Primary, Replica, synthToMemory } from '../../src/index.js';
import { isPgsynthError } from '../../src/diagnostic.js';

const ROOT = new URL('../../', import.meta.url).pathname;

let project: string;
let copy: typeof import('../../src/index.js');

/** `dir` with node_modules/pgsynth: src/index.ts bundled the way scripts/build.mjs does, plus package.json and catalog/. */
async function projectWithSecondCopy(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'pgsynth-second-copy-'));
  const pkg = join(dir, 'node_modules/pgsynth');
  mkdirSync(pkg, { recursive: true });
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['src/index.ts'],
    outfile: join(pkg, 'dist/index.js'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    alias: { yaml: './node_modules/yaml/browser/index.js' },
    banner: { js: "import { createRequire as __pgsynthCreateRequire } from 'node:module'; const require = __pgsynthCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  cpSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  cpSync(join(ROOT, 'catalog'), join(pkg, 'catalog'), { recursive: true });
  return dir;
}

/** path → content of every file under `dir`. */
function filesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else out[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return out;
}

// The README's topology; `Second` names what comes from the second copy, the rest from this one.
function config(from: { cluster: string; primary: string; rest: string }): string {
  return `import { Cluster, secret } from '${from.cluster}';
import { Primary } from '${from.primary}';
import { Replica, PgPool, Haproxy } from '${from.rest}';

const cluster = new Cluster({ name: 'shop', postgresVersion: 17 });
const primary = new Primary(cluster, 'pg-primary', { hostPort: 5611, database: 'app' });
const r1 = new Replica(cluster, 'pg-replica1', { primary, hostPort: 5612, synchronous: true });
const r2 = new Replica(cluster, 'pg-replica2', { primary, hostPort: 5613 });
const pgpool = new PgPool(cluster, 'pgpool', { backends: [primary, r1, { node: r2, weight: 2 }], hostPort: 9999, password: secret('SHOP_POOL_CHECK_PASSWORD') });
new Haproxy(cluster, 'haproxy', { upstream: pgpool, readWrite: { hostPort: 5100 }, readOnly: { hostPort: 5101 } });

export default cluster;
`;
}

/** The files `synth` writes for the config, run by this copy's CLI in the project. */
async function synthesizeIn(name: string, text: string): Promise<Record<string, string>> {
  const file = join(project, `${name}.config.ts`);
  writeFileSync(file, text);
  const out = join(project, `out-${name}`);
  const result = await synthCli(project, '--config', file, '--out', out);
  expect(result.code, result.stderr).toBe(0);
  return filesUnder(out);
}

beforeAll(async () => {
  project = await projectWithSecondCopy();
  await loadPgsynthOnce();
  copy = (await import(pathToFileURL(join(project, 'node_modules/pgsynth/dist/index.js')).href)) as typeof copy;
}, 120_000);
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('a second copy of pgsynth', () => {
  it('is a copy: instanceof does not recognise its instances, the brand checks do', () => {
    const cluster = new copy.Cluster({ name: 'shop' });
    const primary = new copy.Primary(cluster, 'pg-primary', { hostPort: 5611 });
    const replica = new copy.Replica(cluster, 'pg-replica1', { primary, hostPort: 5612 });
    const pgpool = new copy.PgPool(cluster, 'pgpool', { backends: [primary, replica], hostPort: 9999 });
    const haproxy = new copy.Haproxy(cluster, 'haproxy', { upstream: pgpool, readWrite: { hostPort: 5100 } });
    const backup = new copy.Backup(cluster, 'backup');
    expect(copy.Cluster).not.toBe(Cluster);
    expect(primary instanceof Primary).toBe(false);

    expect([Cluster.isCluster(cluster), Primary.isPrimary(primary), Replica.isReplica(replica)]).toEqual([true, true, true]);
    expect([PgPool.isPgPool(pgpool), Haproxy.isHaproxy(haproxy), copy.Backup.isBackup(backup)]).toEqual([true, true, true]);
    // Each brand names one class: a Replica is no Primary, a cluster no node.
    expect([Primary.isPrimary(replica), Replica.isReplica(primary), PgPool.isPgPool(haproxy), Cluster.isCluster(primary)]).toEqual([false, false, false, false]);
    expect([Primary.isPrimary(null), Primary.isPrimary({ kind: 'primary' }), Cluster.isCluster({ ...cluster })]).toEqual([false, false, false]);
  });

  it("throws errors this copy's CLI recognises as PgsynthError", () => {
    const thrown = (() => {
      try {
        new copy.Cluster({ name: 'Not A Label' });
      } catch (error) {
        return error;
      }
      throw new Error('the second copy accepted an invalid cluster name');
    })();
    expect(thrown instanceof PgsynthError).toBe(false);
    expect(isPgsynthError(thrown)).toBe(true);
    expect(isPgsynthError(new Error('PgsynthError'))).toBe(false);
  });

  it('synthesizes through the CLI exactly the files this copy does', async () => {
    const own = await synthesizeIn('own', config({ cluster: SRC_INDEX, primary: SRC_INDEX, rest: SRC_INDEX }));
    const second = await synthesizeIn('second', config({ cluster: 'pgsynth', primary: 'pgsynth', rest: 'pgsynth' }));
    expect(Object.keys(own)).toContain('pg-replica2/postgresql.conf');
    expect(own['.env.example']).toContain('SHOP_POOL_CHECK_PASSWORD=');
    expect(second).toEqual(own);
  }, 60_000);

  it('mixes with this copy in one cluster: every node is resolved, none dropped or refused', async () => {
    // Cluster and Primary from the second copy, the replicas, Pgpool and HAProxy from this one:
    // Replica's `primary`, Pgpool's backends and password (a secret()) and HAProxy's upstream all cross the copies.
    const own = await synthesizeIn('own-again', config({ cluster: SRC_INDEX, primary: SRC_INDEX, rest: SRC_INDEX }));
    const mixed = await synthesizeIn('mixed', config({ cluster: 'pgsynth', primary: 'pgsynth', rest: SRC_INDEX }));
    expect(mixed).toEqual(own);
    const reversed = await synthesizeIn('reversed', config({ cluster: SRC_INDEX, primary: SRC_INDEX, rest: 'pgsynth' }));
    expect(reversed).toEqual(own);
  }, 60_000);

  it('refuses a cluster without the brand (a pgsynth from before the brands), naming the way out', async () => {
    const file = join(project, 'unbranded.config.ts');
    writeFileSync(file, 'class Cluster { nodes = []; resolve() { return {}; } validate() { return []; } }\nexport default new Cluster();\n');
    const result = await synthCli(project, 'validate', '--config', file);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the default export must be a Cluster (or a function returning one); got a Cluster without pgsynth');
    expect(result.stderr).toContain('npm ls pgsynth');
  });

  it('has its constructs accepted by the library of this copy', () => {
    const cluster = new Cluster({ name: 'shop' });
    const primary = new copy.Primary(cluster as never, 'pg-primary', { hostPort: 5611 });
    const replica = new Replica(cluster, 'pg-replica1', { primary: primary as never, hostPort: 5612 });
    new PgPool(cluster, 'pgpool', { backends: [primary as never, replica], hostPort: 9999 });
    const spec = cluster.resolve();
    expect(spec.postgres.map((n) => `${n.id}:${n.role}`)).toEqual(['pg-primary:primary', 'pg-replica1:replica']);
    expect(Object.keys(synthToMemory(cluster))).toContain('pg-primary/init.sh');
  });
});
