import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { checkFiles, writeFiles } from '../../src/writer/writer.js';
import { crashFiles } from './crash-files.js';
import { read, tempDir, tempFilesIn } from './helpers.js';

const MANIFEST = '.pgsynth/manifest.json';
/** Kill the child once this many files have been replaced, so the crash lands mid-run. */
const KILL_AFTER_REPLACED = 20;

/** A child-process script that loads the TypeScript writer through jiti and writes the new generation. */
function writeDriver(dir: string): string {
  const jiti = pathToFileURL(createRequire(import.meta.url).resolve('jiti')).href;
  const writer = fileURLToPath(new URL('../../src/writer/writer.ts', import.meta.url));
  const files = fileURLToPath(new URL('./crash-files.ts', import.meta.url));
  const driver = join(dir, 'driver.mjs');
  writeFileSync(
    driver,
    [
      `import { createJiti } from ${JSON.stringify(jiti)};`,
      `const jiti = createJiti(import.meta.url);`,
      `const { writeFiles } = await jiti.import(${JSON.stringify(writer)});`,
      `const { crashFiles } = await jiti.import(${JSON.stringify(files)});`,
      `writeFiles(crashFiles('new'), { outDir: process.argv[2] });`,
      `process.stdout.write('finished\\n');`,
    ].join('\n'),
  );
  return driver;
}

it('leaves every file wholly old or wholly new when synth is killed mid-run, and the next run recovers', async () => {
  const root = tempDir();
  const outDir = join(root, 'out');
  const oldFiles = crashFiles('old');
  const newFiles = crashFiles('new');
  writeFiles(oldFiles, { outDir });
  const oldManifest = read(outDir, MANIFEST);
  // A file counts as touched once its inode (replaced) or mtime (written in place) moves.
  const identity = (path: string) => {
    const stats = statSync(join(outDir, path), { bigint: true });
    return `${stats.ino}:${stats.mtimeNs}`;
  };
  const oldIdentities = oldFiles.map((file) => identity(file.path));
  const replaced = () => oldFiles.filter((file, i) => identity(file.path) !== oldIdentities[i]).length;

  const child = spawn(process.execPath, [writeDriver(root), outDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_, signal) => resolve(signal)));
  while (child.exitCode === null && replaced() < KILL_AFTER_REPLACED) await new Promise((r) => setTimeout(r, 2));
  child.kill('SIGKILL');

  expect(await exited, `the writer finished before it could be killed:\n${output}`).toBe('SIGKILL');
  expect(output).not.toContain('finished');
  const generations = oldFiles.map((file, i) => {
    const content = readFileSync(join(outDir, file.path), 'utf8');
    if (content === file.content) return 'old';
    if (content === newFiles[i]!.content) return 'new';
    return `torn: ${file.path}`;
  });
  expect(generations.filter((generation) => generation.startsWith('torn'))).toEqual([]);
  const oldCount = generations.filter((generation) => generation === 'old').length;
  expect(oldCount, 'the kill should land before the last file').toBeGreaterThan(0);
  expect(newFiles.length - oldCount).toBeGreaterThanOrEqual(KILL_AFTER_REPLACED);
  expect(read(outDir, MANIFEST)).toBe(oldManifest);

  const report = writeFiles(newFiles, { outDir });

  expect(report.changed).toHaveLength(oldCount);
  expect(report.unchanged).toHaveLength(newFiles.length - oldCount);
  expect(tempFilesIn(outDir)).toEqual([]);
  expect(checkFiles(newFiles, outDir).clean).toBe(true);
}, 120_000);

it('does not mistake the files of a killed run for hand edits when the config goes back (journal)', async () => {
  const root = tempDir();
  const outDir = join(root, 'out');
  const oldFiles = crashFiles('old');
  writeFiles(oldFiles, { outDir });
  const identity = (path: string) => {
    const stats = statSync(join(outDir, path), { bigint: true });
    return `${stats.ino}:${stats.mtimeNs}`;
  };
  const oldIdentities = oldFiles.map((file) => identity(file.path));
  const replaced = () => oldFiles.filter((file, i) => identity(file.path) !== oldIdentities[i]).length;

  const child = spawn(process.execPath, [writeDriver(root), outDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_, signal) => resolve(signal)));
  while (child.exitCode === null && replaced() < KILL_AFTER_REPLACED) await new Promise((r) => setTimeout(r, 2));
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  expect(replaced()).toBeGreaterThanOrEqual(KILL_AFTER_REPLACED);

  // Back to the old config: the new files the killed run left are pgsynth's, not hand edits.
  const report = writeFiles(oldFiles, { outDir });
  expect(report.changed.length).toBeGreaterThanOrEqual(KILL_AFTER_REPLACED);
  expect(checkFiles(oldFiles, outDir).clean).toBe(true);
  expect(tempFilesIn(outDir)).toEqual([]);
}, 120_000);
