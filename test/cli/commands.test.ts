import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPgsynthOnce, projectWith, README_CONFIG, synthCli } from './harness.js';

beforeAll(loadPgsynthOnce);

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('synth: usage', () => {
  it('prints help and version with exit 0', async () => {
    const dir = projectWith(README_CONFIG);
    const help = await synthCli(dir, '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: synth [command] [options]');
    expect(await synthCli(dir, '--version')).toMatchObject({ code: 0, stdout: pkg.version });
  });

  it('exits 2 with the usage on an unknown command or option', async () => {
    const dir = projectWith(README_CONFIG);
    const unknown = await synthCli(dir, 'deploy');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("synth: unknown command 'deploy'");
    expect((await synthCli(dir, '--frobnicate')).code).toBe(2);
  });

  it('explains a rule, and exits 2 for an unknown code', async () => {
    const dir = projectWith(README_CONFIG);
    const ok = await synthCli(dir, 'explain', 'pgs012');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^PGS012 \(error\): /);
    expect(ok.stdout).toContain('Fix: raise maxReplicationSlots on the primary');
    const bad = await synthCli(dir, 'explain', 'PGS998');
    expect(bad).toMatchObject({ code: 2, stderr: 'synth: no code PGS998; every code is listed in docs/rules.md' });
  });
});

describe('synth: loading the config', () => {
  it('exits 2 when there is no config', async () => {
    const dir = projectWith(README_CONFIG);
    const result = await synthCli(dir, 'validate', '--config', 'nope.ts');
    expect(result).toMatchObject({ code: 2, stderr: 'error config file not found: nope.ts' });
  });

  it('exits 2 naming the config line when the config throws while loading', async () => {
    const dir = projectWith(`import { Cluster } from 'pgsynth';\nconst cluster = new Cluster({ name: 'shop' });\nthrow new Error('boom');\nexport default cluster;\n`);
    const result = await synthCli(dir, 'validate');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the config threw while loading: boom (at ');
    expect(result.stderr).toMatch(/cluster\.config\.ts:3:\d+\)/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 when the default export is not a cluster', async () => {
    const dir = projectWith(`export default 42;\n`);
    const result = await synthCli(dir, 'validate');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the default export must be a Cluster (or a function returning one); got number');
  });

  it('accepts a default export that is a function returning the cluster', async () => {
    const dir = projectWith(README_CONFIG.replace('export default cluster;', 'export default () => cluster;'));
    expect((await synthCli(dir, 'validate')).code).toBe(0);
  });
});

describe('synth validate', () => {
  it('prints warnings like a compiler and exits 0 without errors', async () => {
    const result = await synthCli(projectWith(README_CONFIG), 'validate');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^cluster\.config\.ts:4:17 warning PGS053 shop\/pg-primary /m);
    expect(result.stdout).toContain('0 errors, 2 warnings');
    expect(result.stdout).not.toContain('\u001b[');
  });

  it('prints an error with file:line, code, path, field and fix, and exits 1', async () => {
    const config = README_CONFIG.replace("{ hostPort: 5611, database: 'app' }", "{ hostPort: 5611, database: 'app', maxReplicationSlots: 2 }");
    const result = await synthCli(projectWith(config), 'validate');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'cluster.config.ts:4:17 error PGS012 shop/pg-primary maxReplicationSlots: needs 3 replication slots (2 for replicas, 0 extra, 1 for a base backup) but maxReplicationSlots is 2',
    );
    expect(result.stdout).toContain('  fix: set maxReplicationSlots to at least 3');
    // the replicas inherit the primary's setting, and once promoted each needs the same slots (PGS211)
    expect(result.stdout).toContain('cluster.config.ts:5:12 error PGS211 shop/pg-replica1 maxReplicationSlots: once promoted it needs 3 replication slots');
    expect(result.stdout).toContain('3 errors, 2 warnings');
    // The README shows this very diagnostic: keep it true.
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const shown = readme.split('\n').filter((l) => l.startsWith('cluster.config.ts:4:17 error PGS012') || l === '  fix: set maxReplicationSlots to at least 3');
    expect(shown).toHaveLength(2);
    for (const line of shown) expect(result.stdout.split('\n')).toContain(line);
  });

  it('reports props errors from the builders with exit 1 and the construct line', async () => {
    const config = README_CONFIG.replace("{ primary, hostPort: 5613 }", "{ primary, hostPort: 70000, slots: true }");
    const result = await synthCli(projectWith(config), 'validate');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^cluster\.config\.ts:6:12 error PGS001 shop\/pg-replica2 hostPort: /m);
    expect(result.stdout).toMatch(/^cluster\.config\.ts:6:12 error PGS001 shop\/pg-replica2 slots: /m);
  });
});

describe('synth (write), --check and --force', () => {
  it('writes, reports, stays idempotent, detects drift and refuses to clobber a hand edit', async () => {
    const dir = projectWith(README_CONFIG);
    const first = await synthCli(dir);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('created cluster/docker-compose.yml');
    expect(first.stdout).toContain('created cluster/pg-replica1/entrypoint.sh');
    expect(first.stdout).toContain('0 files unchanged');

    const second = await synthCli(dir);
    expect(second.code).toBe(0);
    expect(second.stdout).not.toContain('created');
    expect(second.stdout).toMatch(/\d+ files unchanged/);

    expect(await synthCli(dir, '--check')).toMatchObject({ code: 0 });

    const conf = join(dir, 'cluster/pg-primary/postgresql.conf');
    writeFileSync(conf, `${readFileSync(conf, 'utf8')}work_mem = '1GB'\n`);
    const drift = await synthCli(dir, '--check');
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain('+++ b/pg-primary/postgresql.conf');
    expect(drift.stdout).toContain("-work_mem = '1GB'");

    const refused = await synthCli(dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('pg-primary/postgresql.conf');
    expect(refused.stderr).toContain('fix:');
    expect(readFileSync(conf, 'utf8')).toContain("work_mem = '1GB'");

    const forced = await synthCli(dir, '--force');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('changed cluster/pg-primary/postgresql.conf');
    expect(readFileSync(conf, 'utf8')).not.toContain("work_mem = '1GB'");
  });

  it('deletes the files of a removed replica and nothing else', async () => {
    const dir = projectWith(README_CONFIG);
    expect((await synthCli(dir)).code).toBe(0);
    writeFileSync(join(dir, 'cluster/NOTES.md'), 'mine\n');
    const without = README_CONFIG.replace("const r2 = new Replica(cluster, 'pg-replica2', { primary, hostPort: 5613 });\n", '').replace('[primary, r1, r2]', '[primary, r1]');
    writeFileSync(join(dir, 'cluster.config.ts'), projectConfigFrom(dir, without));
    const result = await synthCli(dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('deleted cluster/pg-replica2/postgresql.conf');
    expect(existsSync(join(dir, 'cluster/pg-replica2'))).toBe(false);
    expect(readFileSync(join(dir, 'cluster/NOTES.md'), 'utf8')).toBe('mine\n');
  });
});

describe('synth init', () => {
  it("appends .pgsynth/ to the project's own .gitignore, keeping what is there", async () => {
    const dir = projectWith('');
    const { rmSync } = await import('node:fs');
    rmSync(join(dir, 'cluster.config.ts'));
    writeFileSync(join(dir, '.gitignore'), 'node_modules');
    const init = await synthCli(dir, 'init');
    expect(init.stdout).toContain('added .pgsynth/ to .gitignore');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe("node_modules\n# synth up: the local cluster's data and generated passwords\n.pgsynth/\n");
  });

  it('writes a starter config that validates, adds the npm script, and refuses to overwrite', async () => {
    const dir = projectWith('');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', scripts: { test: 'vitest' } }, null, 2));
    const { rmSync } = await import('node:fs');
    rmSync(join(dir, 'cluster.config.ts'));
    const init = await synthCli(dir, 'init');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('created cluster.config.ts');
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).scripts).toEqual({ test: 'vitest', synth: 'synth' });
    expect(init.stdout).toContain('created .gitignore with .pgsynth/');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe("# synth up: the local cluster's data and generated passwords\n.pgsynth/\n");
    writeFileSync(join(dir, 'cluster.config.ts'), projectConfigFrom(dir, readFileSync(join(dir, 'cluster.config.ts'), 'utf8')));
    const validate = await synthCli(dir, 'validate');
    expect(validate.code).toBe(0);
    // no PGS053: commits are confirmed by ANY 1 of two standbys, so no single one blocks them
    expect(validate.stdout + validate.stderr).not.toMatch(/warning|PGS\d{3}/);
    const again = await synthCli(dir, 'init');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('cluster.config.ts already exists');
  });
});

function projectConfigFrom(_dir: string, config: string): string {
  return config.replaceAll("from 'pgsynth'", `from '${new URL('../../src/index.js', import.meta.url).pathname}'`);
}

describe('errors of the local runtime', () => {
  it('print with their PGS code (src/codes.ts) and exit 1: a purge of a folder synth up did not make is refused, and the folder left alone', async () => {
    const dir = projectWith(README_CONFIG);
    mkdirSync(join(dir, '.pgsynth/local/shop'), { recursive: true });
    writeFileSync(join(dir, '.pgsynth/local/shop/mine.txt'), 'not made by synth up\n');
    const result = await synthCli(dir, 'down', '--purge');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error PGS934: .*\.pgsynth\/local\/shop has no \.pgsynth-local: it was not made by synth up, so --purge leaves it alone\.\n {2}fix: /);
    expect(readFileSync(join(dir, '.pgsynth/local/shop/mine.txt'), 'utf8')).toBe('not made by synth up\n');
  });
});
