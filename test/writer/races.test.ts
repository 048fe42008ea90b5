import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkFiles, writeFiles, WriterError } from '../../src/writer/writer.js';
import { generated, read, sha256, tempDir } from './helpers.js';

// The writer under races: a symlink swapped in while it runs, a second run at the same time, a
// run killed between its renames and its manifest, and a manifest that lies.

const files = (version: string) => ['a/1.conf', 'a/2.conf', 'a/3.conf', 'b/1.conf', 'b/2.conf', 'top.conf'].map((path) => generated(path, `${path} ${version}`));

function writerError(run: () => unknown): WriterError {
  try {
    run();
  } catch (error) {
    if (error instanceof WriterError) return error;
    throw error;
  }
  throw new Error('expected a WriterError');
}

describe('a symlink swapped in during a run', () => {
  it('cannot make a write land outside: a directory swapped before synth enters it stops the run (PGS902)', () => {
    const root = tempDir();
    const outDir = join(root, 'out');
    const outside = join(root, 'outside');
    mkdirSync(outside);
    writeFiles(files('v1'), { outDir });
    let swapped = false;
    const error = writerError(() =>
      writeFiles(files('v2'), {
        outDir,
        onBeforeWrite: () => {
          if (swapped) return;
          swapped = true; // while synth writes a/…, b becomes a way out
          renameSync(join(outDir, 'b'), join(root, 'b-moved'));
          symlinkSync(outside, join(outDir, 'b'));
        },
      }),
    );
    expect(error.code).toBe('PGS902');
    expect(error.message).toContain('became a way out of it while synth was writing');
    expect(readdirSync(outside)).toEqual([]);
  });

  it('keeps writing into the directory it verified when the path is swapped after it entered it', () => {
    const root = tempDir();
    const outDir = join(root, 'out');
    const outside = join(root, 'outside');
    mkdirSync(outside);
    writeFiles(files('v1'), { outDir });
    let writes = 0;
    writeFiles(files('v2'), {
      outDir,
      onBeforeWrite: (path) => {
        if (path === 'a/2.conf' && ++writes === 1) {
          renameSync(join(outDir, 'a'), join(outDir, 'a-moved'));
          symlinkSync(outside, join(outDir, 'a'));
        }
      },
    });
    expect(readdirSync(outside)).toEqual([]);
    expect(read(outDir, 'a-moved/3.conf')).toContain('a/3.conf v2');
  });

  it('never writes outside in 30 runs against a process swapping a directory for a symlink in a loop', async () => {
    const root = tempDir();
    const outDir = join(root, 'out');
    const outside = join(root, 'outside');
    mkdirSync(outside);
    writeFiles(files('v0'), { outDir });
    const swapper = spawn('bash', ['-c', `cd ${JSON.stringify(outDir)}; while :; do mv a a.real 2>/dev/null && ln -s ${JSON.stringify(outside)} a; rm -f a; mv a.real a 2>/dev/null; done`], { stdio: 'ignore', detached: true });
    const exited = new Promise((resolve) => swapper.once('exit', resolve));
    const outcomes: Record<string, number> = {};
    try {
      for (let run = 1; run <= 30; run++) {
        let outcome = 'written';
        try {
          writeFiles(files(`v${run}`), { outDir, force: true });
        } catch (error) {
          outcome = error instanceof WriterError ? error.code : `raw ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
        }
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        expect(readdirSync(outside), `run ${run}`).toEqual([]);
        await new Promise((r) => setTimeout(r, 1));
      }
    } finally {
      // The whole group (bash and the mv or ln it runs), and wait: a child still renaming would
      // make the temp directory's removal fail.
      process.kill(-swapper.pid!, 'SIGKILL');
      await exited;
    }
    console.log(`symlink race, 30 runs: ${JSON.stringify(outcomes)}`);
    expect(readdirSync(outside)).toEqual([]);
  }, 60_000);
});

describe('one run at a time', () => {
  it('refuses with PGS904 while another live process holds the lock, and takes over a stale lock', () => {
    const outDir = tempDir();
    writeFiles(files('v1'), { outDir });
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      writeFileSync(join(outDir, '.pgsynth/lock'), `${sleeper.pid}\n`);
      const error = writerError(() => writeFiles(files('v2'), { outDir }));
      expect(error.code).toBe('PGS904');
      expect(error.message).toContain(`another synth (pid ${sleeper.pid}) is writing`);
      expect(error.fix).toContain('.pgsynth/lock');
      expect(read(outDir, 'top.conf')).toContain('v1');
    } finally {
      sleeper.kill('SIGKILL');
    }
    // A lock whose process is gone is left over from a killed run.
    const dead = spawnSync('true').pid!;
    writeFileSync(join(outDir, '.pgsynth/lock'), `${dead}\n`);
    writeFiles(files('v2'), { outDir });
    expect(read(outDir, 'top.conf')).toContain('v2');
    expect(existsSync(join(outDir, '.pgsynth/lock'))).toBe(false);
  });

  it('two synths started together: each writes or says PGS904, never a raw error (15 rounds)', async () => {
    const root = tempDir();
    const outDir = join(root, 'out');
    const jiti = pathToFileURL(createRequire(import.meta.url).resolve('jiti')).href;
    const writer = fileURLToPath(new URL('../../src/writer/writer.ts', import.meta.url));
    const helpers = fileURLToPath(new URL('./helpers.ts', import.meta.url));
    const driver = join(root, 'driver.mjs');
    writeFileSync(driver, [
      `import { createJiti } from ${JSON.stringify(jiti)};`,
      `const jiti = createJiti(import.meta.url);`,
      `const { writeFiles } = await jiti.import(${JSON.stringify(writer)});`,
      `const { generated } = await jiti.import(${JSON.stringify(helpers)});`,
      `const files = Array.from({ length: 40 }, (_, i) => generated('d' + (i % 5) + '/f' + i + '.conf', process.argv[3] + ' ' + i));`,
      `try { writeFiles(files, { outDir: process.argv[2], force: true }); console.log('written'); }`,
      `catch (e) { console.log(e.code === 'PGS904' ? 'PGS904' : 'raw ' + (e.stack ?? e)); }`,
    ].join('\n'));
    const run = (version: string) => new Promise<string>((resolve) => {
      const child = spawn(process.execPath, [driver, outDir, version], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (c) => (out += c));
      child.stderr.on('data', (c) => (out += c));
      child.on('exit', () => resolve(out.trim()));
    });
    const outcomes: string[] = [];
    for (let round = 0; round < 15; round++) outcomes.push(...(await Promise.all([run(`r${round}a`), run(`r${round}b`)])));
    console.log(`concurrent runs: ${outcomes.filter((o) => o === 'written').length} written, ${outcomes.filter((o) => o === 'PGS904').length} PGS904`);
    expect(outcomes.filter((o) => o !== 'written' && o !== 'PGS904')).toEqual([]);
    expect(existsSync(join(outDir, '.pgsynth/lock'))).toBe(false);
  }, 120_000);
});

describe('the manifest and the files change as one unit', () => {
  it('recognises the files of a run killed after its renames, before its manifest (no false PGS900)', () => {
    const outDir = tempDir();
    writeFiles(files('v1'), { outDir });
    const manifest = read(outDir, '.pgsynth/manifest.json');
    // The run dies after every rename, right before its manifest: the last hook call throws.
    let calls = 0;
    const crash = new Error('killed');
    try {
      writeFiles(files('v2'), { outDir, onBeforeWrite: () => { if (++calls === files('v2').length) throw crash; } });
    } catch (error) {
      expect(error).toBe(crash);
    }
    expect(read(outDir, '.pgsynth/manifest.json')).toBe(manifest); // still the old one
    expect(existsSync(join(outDir, '.pgsynth/journal.json'))).toBe(true);
    // The config goes back to v1: the v2 files on disk are pgsynth's, not hand edits.
    const report = writeFiles(files('v1'), { outDir });
    expect(report.changed.length).toBeGreaterThan(0);
    expect(existsSync(join(outDir, '.pgsynth/journal.json'))).toBe(false);
    expect(checkFiles(files('v1'), outDir).clean).toBe(true);
  });

  it("never deletes a user's file that a tampered manifest lists with the file's own hash", () => {
    const outDir = tempDir();
    writeFiles(files('v1'), { outDir });
    const notes = 'my notes, no marker\n';
    writeFileSync(join(outDir, 'notes.txt'), notes);
    const manifestPath = join(outDir, '.pgsynth/manifest.json');
    const manifest = JSON.parse(read(outDir, '.pgsynth/manifest.json')) as { files: Record<string, string> };
    manifest.files['notes.txt'] = sha256(notes);
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const report = writeFiles(files('v1'), { outDir });
    expect(report.deleted).toEqual([]);
    expect(read(outDir, 'notes.txt')).toBe(notes);
  });
});

describe('--out that is not a directory of its own', () => {
  it('refuses a file as the output directory with PGS905, in writeFiles and checkFiles', () => {
    const root = tempDir();
    const file = join(root, 'cluster');
    writeFileSync(file, 'not a directory\n');
    expect(writerError(() => writeFiles(files('v1'), { outDir: file })).code).toBe('PGS905');
    expect(writerError(() => checkFiles(files('v1'), file)).message).toContain('is a file, not a directory');
  });
});
