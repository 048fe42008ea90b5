import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WriterError, checkFiles, writeFiles } from '../../src/writer/writer.js';
import { generated, read, sha256, tempDir } from './helpers.js';

function expectPGS902(run: () => unknown): WriterError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WriterError);
    expect((error as WriterError).code).toBe('PGS902');
    return error as WriterError;
  }
  throw new Error('expected PGS902');
}

describe('writeFiles never writes outside outDir', () => {
  it.each([
    ['a parent segment', '../x'],
    ['a nested parent segment', 'primary/../../x'],
    ['an absolute path', '/etc/x'],
    ['a drive letter', 'C:/x'],
    ['a backslash', 'primary\\x'],
    ['an empty segment', 'primary//x'],
    ['a trailing slash', 'primary/'],
    ['a dot segment', './x'],
    ['an empty path', ''],
    ["the writer's own state directory", '.pgsynth/manifest.json'],
  ])('rejects %s (%s) and writes nothing', (_, path) => {
    const outDir = join(tempDir(), 'out');

    const error = expectPGS902(() => writeFiles([generated('ok.conf', 'fine'), generated(path, 'bad')], { outDir }));

    expect(error.files).toEqual([path]);
    expect(existsSync(outDir)).toBe(false);
  });

  it('refuses a path through a symlinked directory that points outside', () => {
    const root = tempDir();
    const outDir = join(root, 'out');
    const outside = join(root, 'outside');
    mkdirSync(outDir);
    mkdirSync(outside);
    symlinkSync(outside, join(outDir, 'conf'));

    const error = expectPGS902(() =>
      writeFiles([generated('ok.conf', 'fine'), generated('conf/deep/x.conf', 'bad')], { outDir }),
    );

    expect(error.file).toBe('conf/deep/x.conf');
    expect(error.fix).toContain('remove the symlink conf');
    expect(readdirSync(outside)).toEqual([]);
    expect(readdirSync(outDir)).toEqual(['conf']);
    expect(() => checkFiles([generated('conf/x.conf', 'bad')], outDir)).toThrow(WriterError);
  });

  it('refuses to replace a symlinked file that points outside, and a dangling symlink', () => {
    const root = tempDir();
    const outDir = join(root, 'out');
    mkdirSync(outDir);
    writeFileSync(join(root, 'secret.txt'), 'keep me\n');
    symlinkSync(join(root, 'secret.txt'), join(outDir, 'a.conf'));
    symlinkSync(join(root, 'nowhere'), join(outDir, 'b'));

    const error = expectPGS902(() => writeFiles([generated('a.conf', 'x'), generated('b/c.conf', 'y')], { outDir }));

    expect(error.files).toEqual(['a.conf', 'b/c.conf']);
    expect(read(root, 'secret.txt')).toBe('keep me\n');
    expect(existsSync(join(root, 'nowhere'))).toBe(false);
  });

  it('follows symlinks that stay inside outDir', () => {
    const outDir = tempDir();
    mkdirSync(join(outDir, 'real'));
    symlinkSync(join(outDir, 'real'), join(outDir, 'alias'));

    writeFiles([generated('alias/x.conf', 'through the alias')], { outDir });

    expect(read(outDir, 'real/x.conf')).toContain('through the alias');
  });

  it('accepts an outDir that is itself a symlink to elsewhere', () => {
    const root = tempDir();
    mkdirSync(join(root, 'elsewhere'));
    symlinkSync(join(root, 'elsewhere'), join(root, 'out'));

    const report = writeFiles([generated('primary/postgresql.conf', 'port = 5432')], { outDir: join(root, 'out') });

    expect(report.created).toEqual(['primary/postgresql.conf']);
    expect(read(root, 'elsewhere/primary/postgresql.conf')).toContain('port = 5432');
  });

  it('never deletes through a symlink that now leads outside', () => {
    const root = tempDir();
    const outDir = join(root, 'out');
    const file = generated('conf/x.conf', 'old');
    writeFiles([file], { outDir });
    // The user swaps the generated directory for a link to their own copy.
    mkdirSync(join(root, 'mine'));
    writeFileSync(join(root, 'mine/x.conf'), file.content);
    rmSync(join(outDir, 'conf'), { recursive: true });
    symlinkSync(join(root, 'mine'), join(outDir, 'conf'));

    const report = writeFiles([], { outDir });

    expect(report.deleted).toEqual([]);
    expect(read(root, 'mine/x.conf')).toBe(file.content);
  });

  it('never deletes a path outside outDir named by a tampered manifest', () => {
    const root = tempDir();
    const outDir = join(root, 'out');
    writeFiles([generated('a.conf', 'a')], { outDir });
    writeFileSync(join(root, 'victim'), 'precious\n');
    const files = { '../victim': sha256('precious\n') };
    writeFileSync(join(outDir, '.pgsynth/manifest.json'), JSON.stringify({ version: 1, files }));

    const report = writeFiles([generated('a.conf', 'a')], { outDir });

    expect(report.deleted).toEqual([]);
    expect(read(root, 'victim')).toBe('precious\n');
  });
});
