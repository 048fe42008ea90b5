import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadPgsynthOnce, projectWith, README_CONFIG, synthCli } from '../cli/harness.js';

// The first config that imports pgsynth compiles its sources through jiti: not charged to one test's 20 s.
beforeAll(loadPgsynthOnce);

// No input makes the CLI print a stack trace: a config that exports nothing usable, exits the
// process, or carries control characters gets a message with a code or a clear reason.

describe('the CLI never shows a stack trace', () => {
  it('reports `export default null` as a config that exports no cluster (exit 2)', async () => {
    const dir = projectWith(`export default null;\n`);
    const result = await synthCli(dir, 'validate');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the default export must be a Cluster');
    expect(result.stderr).toContain('got null');
    expect(result.stderr).not.toMatch(/Cannot read properties|\n\s+at /);
  });

  it('refuses a config that calls process.exit while loading, so --check cannot pass silently', async () => {
    const dir = projectWith(`process.exit(0);\nexport default null;\n`);
    const result = await synthCli(dir, '--check');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('process.exit(0)');
    expect(result.stderr).toContain('cluster.config.ts');
  });

  it('refuses a config whose timer calls process.exit(0) while the command runs', async () => {
    const dir = projectWith(`import { Cluster, Primary } from 'pgsynth';
const cluster = new Cluster({ name: 'shop' });
new Primary(cluster, 'pg-primary', { hostPort: 5611 });
export default async () => {
  setTimeout(() => process.exit(0), 0);
  await new Promise((resolve) => setTimeout(resolve, 20));
  return cluster;
};
`);
    const result = await synthCli(dir, '--check');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the config called process.exit(0)');
  });

  it('keeps its exit code when a config timer calls process.exit(0) after the command (a real process)', () => {
    const dir = projectWith(`import { Cluster, Primary } from 'pgsynth';
const cluster = new Cluster({ name: 'shop' });
new Primary(cluster, 'pg-primary', { hostPort: 5611 });
setTimeout(() => process.exit(0), 2000);
export default cluster;
`);
    const main = new URL('../../src/cli/main.ts', import.meta.url).pathname;
    // jiti's register hook, by absolute path: the project folder has no node_modules of its own.
    const register = pathToFileURL(join(createRequire(import.meta.url).resolve('jiti/package.json'), '..', 'lib', 'jiti-register.mjs')).href;
    const run = spawnSync(process.execPath, ['--import', register, main, '--check'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(run.stdout).toContain('differ from cluster.config.ts');
    expect(run.status).toBe(1); // nothing written yet: drift, whatever the timer says
  }, 60_000);

  it('escapes control characters from the config instead of echoing them to the terminal', async () => {
    const dir = projectWith(`import { Cluster, Primary } from 'pgsynth';
const cluster = new Cluster({ name: 'shop' });
new Primary(cluster, 'pg-primary', { hostPort: 5611, extraSlots: ['bad\\u001b[31mslot'] });
export default cluster;
`);
    const result = await synthCli(dir, 'validate');
    expect(result.code).toBe(1);
    const all = result.stdout + result.stderr;
    expect(all).not.toContain('\u001b');
    expect(all).toContain('\\u001b[31mslot');
  });

  it('reports an invariant failing inside pgsynth as a pgsynth bug with code PGS999, not a stack trace', async () => {
    // A cluster whose validate() throws stands in for a bug inside pgsynth.
    const dir = projectWith(
      `import { Cluster } from 'pgsynth';\nconst cluster = new Cluster({ name: 'shop' });\ncluster.validate = () => (null as unknown as { x: never }).x;\nexport default cluster;\n`,
    );
    const result = await synthCli(dir, 'validate');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PGS999: internal error');
    expect(result.stderr).toContain('pgsynth bug');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('turns a renderer refusing a validated spec into PgsynthInternalError (PGS999)', async () => {
    const { internal } = await import('../../src/internal-error.js');
    expect(() => internal('rendering', () => { throw new Error('boom'); })).toThrowError(
      expect.objectContaining({ code: 'PGS999', message: 'PGS999: internal error while rendering: boom' }) as Error,
    );
  });
});

describe('--out and the writer refusals, with the exit codes the README gives', () => {
  it('refuses --out naming a file, /, the project or a parent with PGS905 (exit 2), writing nothing', async () => {
    const dir = projectWith(README_CONFIG);
    writeFileSync(join(dir, 'afile'), 'mine\n');
    for (const out of ['afile', '/', '.', '..', dir]) {
      const before = readdirSync(dir).sort();
      const result = await synthCli(dir, '--out', out);
      expect(result.code, out).toBe(2);
      expect(result.stderr, out).toMatch(/PGS905: --out .*: .*(is a file|root of the file system|the project itself|a folder above the project)/);
      expect(result.stderr).toContain('fix: give --out a directory of its own');
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(readdirSync(dir).sort()).toEqual(before);
    }
  });

  it('exits 1 for PGS902 (a symlink out of the output directory), as the README says', async () => {
    const dir = projectWith(README_CONFIG);
    mkdirSync(join(dir, 'cluster'));
    mkdirSync(join(dir, 'elsewhere'));
    symlinkSync(join(dir, 'elsewhere'), join(dir, 'cluster', 'pg-primary'));
    const result = await synthCli(dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PGS902');
    expect(readdirSync(join(dir, 'elsewhere'))).toEqual([]);
  });
});
