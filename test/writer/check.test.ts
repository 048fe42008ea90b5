import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WriterError, checkFiles, writeFiles } from '../../src/writer/writer.js';
import { generated, snapshot, tempDir } from './helpers.js';

const files = () => [
  generated('primary/postgresql.conf', 'max_connections = 100\nshared_buffers = 128MB'),
  generated('scripts/promote.sh', 'pg_ctl promote', { executable: true }),
  generated('haproxy/haproxy.cfg', 'listen postgres'),
];

describe('checkFiles', () => {
  it('is clean right after a write', () => {
    const outDir = tempDir();
    writeFiles(files(), { outDir });

    expect(checkFiles(files(), outDir)).toEqual({ clean: true, diff: '', drifted: [] });
  });

  it('shows a changed file as a unified diff from disk to the new content, writing nothing', () => {
    const outDir = tempDir();
    writeFiles(files(), { outDir });
    const before = snapshot(outDir);
    const changed = files().map((file) =>
      file.path === 'primary/postgresql.conf' ? generated(file.path, 'max_connections = 200\nshared_buffers = 128MB') : file,
    );

    const report = checkFiles(changed, outDir);

    expect(report.clean).toBe(false);
    expect(report.drifted).toEqual(['primary/postgresql.conf']);
    expect(report.diff).toContain('--- a/primary/postgresql.conf\n+++ b/primary/postgresql.conf\n');
    expect(report.diff).toContain('-max_connections = 100\n+max_connections = 200\n');
    expect(report.diff).not.toContain('haproxy');
    expect(snapshot(outDir)).toEqual(before);
  });

  it('lists a stale generated file that synth would delete', () => {
    const outDir = tempDir();
    writeFiles(files(), { outDir });

    const report = checkFiles(files().slice(0, 2), outDir);

    expect(report.drifted).toEqual(['haproxy/haproxy.cfg']);
    expect(report.diff).toContain('deleted file mode 100644\n--- a/haproxy/haproxy.cfg\n+++ /dev/null\n');
    expect(report.diff).toContain('-listen postgres\n');
    expect(existsSync(join(outDir, 'haproxy/haproxy.cfg'))).toBe(true);
  });

  it('shows hand edits and lost modes as drift', () => {
    const outDir = tempDir();
    writeFiles(files(), { outDir });
    writeFileSync(join(outDir, 'haproxy/haproxy.cfg'), 'listen mine\n');
    chmodSync(join(outDir, 'scripts/promote.sh'), 0o644);

    const report = checkFiles(files(), outDir);

    expect(report.drifted).toEqual(['haproxy/haproxy.cfg', 'scripts/promote.sh']);
    expect(report.diff).toContain('-listen mine\n');
    expect(report.diff).toContain('diff --git a/scripts/promote.sh b/scripts/promote.sh\nold mode 100644\nnew mode 100755\n');
  });

  it('reports every file as missing when outDir does not exist, and does not create it', () => {
    const outDir = join(tempDir(), 'never-written');

    const report = checkFiles(files(), outDir);

    expect(report.drifted).toEqual(['haproxy/haproxy.cfg', 'primary/postgresql.conf', 'scripts/promote.sh']);
    expect(report.diff).toContain('new file mode 100755\n--- /dev/null\n+++ b/scripts/promote.sh\n');
    expect(existsSync(outDir)).toBe(false);
  });

  it('rejects the same unsafe and duplicate paths as writeFiles', () => {
    const outDir = tempDir();
    expect(() => checkFiles([generated('../x', 'bad')], outDir)).toThrow(
      expect.objectContaining({ code: 'PGS902' }) as WriterError,
    );
    expect(() => checkFiles([generated('x', 'a'), generated('x', 'b')], outDir)).toThrow(
      expect.objectContaining({ code: 'PGS903' }) as WriterError,
    );
  });
});
