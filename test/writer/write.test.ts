import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFiles } from '../../src/writer/writer.js';
import { generated, mode, read, sha256, snapshot, tempDir, tempFilesIn } from './helpers.js';

const cluster = () => [
  generated('primary/postgresql.conf', "wal_level = 'replica'"),
  generated('primary/pg_hba.conf', 'host replication replicator 10.0.0.0/8 scram-sha-256'),
  generated('haproxy/haproxy.cfg', 'listen postgres'),
  generated('scripts/failover.sh', 'pg_ctl promote', { executable: true }),
  generated('secrets/.pgpass', 'primary:5432:*:replicator:s3cret', { secret: true }),
  generated('docker-compose.yml', 'services: {}'),
];

describe('writeFiles', () => {
  it('creates every file on the first run and records each hash in a stable manifest', () => {
    const outDir = join(tempDir(), 'out');
    const files = cluster();

    const report = writeFiles(files, { outDir });

    expect(report).toEqual({
      created: files.map((file) => file.path).sort(),
      changed: [],
      deleted: [],
      unchanged: [],
    });
    for (const file of files) expect(read(outDir, file.path)).toBe(file.content);
    const manifestText = read(outDir, '.pgsynth/manifest.json');
    const expectedHashes = Object.fromEntries(
      files.map((file) => [file.path, sha256(file.content)]).sort(([a], [b]) => (a! < b! ? -1 : 1)),
    );
    expect(manifestText).toBe(`${JSON.stringify({ version: 1, files: expectedHashes }, null, 2)}\n`);
    expect(Object.keys(JSON.parse(manifestText).files)).toEqual(files.map((file) => file.path).sort());
    expect(tempFilesIn(outDir)).toEqual([]);
  });

  it('leaves everything untouched when nothing changed', () => {
    const outDir = tempDir();
    writeFiles(cluster(), { outDir });
    const before = snapshot(outDir);

    const report = writeFiles(cluster(), { outDir });

    expect(report.unchanged).toEqual(cluster().map((file) => file.path).sort());
    expect(report.created).toEqual([]);
    expect(report.changed).toEqual([]);
    expect(report.deleted).toEqual([]);
    expect(snapshot(outDir)).toEqual(before); // same inodes and mtimes, manifest included
  });

  it('rewrites only the file whose content changed', () => {
    const outDir = tempDir();
    writeFiles(cluster(), { outDir });
    const before = snapshot(outDir);
    const files = cluster().map((file) =>
      file.path === 'primary/postgresql.conf' ? generated(file.path, "wal_level = 'logical'") : file,
    );

    const report = writeFiles(files, { outDir });

    expect(report.changed).toEqual(['primary/postgresql.conf']);
    expect(report.unchanged).toHaveLength(files.length - 1);
    expect(read(outDir, 'primary/postgresql.conf')).toContain("wal_level = 'logical'");
    const after = snapshot(outDir);
    for (const [path, entry] of before) {
      if (path === 'primary/postgresql.conf' || path === '.pgsynth/manifest.json' || entry.kind === 'dir') continue;
      expect(after.get(path), path).toEqual(entry);
    }
    expect(after.get('primary/postgresql.conf')!.ino).not.toBe(before.get('primary/postgresql.conf')!.ino);
    expect(JSON.parse(read(outDir, '.pgsynth/manifest.json')).files['primary/postgresql.conf']).toBe(
      sha256(files[0]!.content),
    );
  });

  it('deletes a file it generated earlier that is no longer produced, and nothing else', () => {
    const outDir = tempDir();
    writeFiles(cluster(), { outDir });
    writeFileSync(join(outDir, 'primary/NOTES.md'), 'my own notes\n');
    writeFileSync(join(outDir, 'README.md'), 'hello\n');
    const before = snapshot(outDir);
    const files = cluster().filter((file) => file.path !== 'primary/pg_hba.conf');

    const report = writeFiles(files, { outDir });

    expect(report.deleted).toEqual(['primary/pg_hba.conf']);
    expect(existsSync(join(outDir, 'primary/pg_hba.conf'))).toBe(false);
    expect(read(outDir, 'primary/NOTES.md')).toBe('my own notes\n');
    const after = snapshot(outDir);
    for (const path of ['README.md', 'primary/NOTES.md', 'primary/postgresql.conf', 'scripts/failover.sh']) {
      expect(after.get(path), path).toEqual(before.get(path));
    }
    expect(Object.keys(JSON.parse(read(outDir, '.pgsynth/manifest.json')).files)).not.toContain('primary/pg_hba.conf');
  });

  it('removes directories its deletions emptied, but not ones that still hold user files', () => {
    const outDir = tempDir();
    writeFiles([...cluster(), generated('replicas/r1/postgresql.auto.conf', 'x')], { outDir });
    writeFileSync(join(outDir, 'haproxy/local.cfg'), 'mine\n');
    const files = cluster().filter((file) => !file.path.startsWith('scripts/') && !file.path.startsWith('haproxy/'));

    const report = writeFiles(files, { outDir });

    expect(report.deleted).toEqual(['haproxy/haproxy.cfg', 'replicas/r1/postgresql.auto.conf', 'scripts/failover.sh']);
    expect(existsSync(join(outDir, 'scripts'))).toBe(false);
    expect(existsSync(join(outDir, 'replicas'))).toBe(false);
    expect(read(outDir, 'haproxy/local.cfg')).toBe('mine\n');
  });

  it('writes scripts 0755, secrets 0600 and everything else 0644', () => {
    const outDir = tempDir();
    writeFiles(cluster(), { outDir });

    expect(mode(outDir, 'scripts/failover.sh')).toBe(0o755);
    expect(mode(outDir, 'secrets/.pgpass')).toBe(0o600);
    expect(mode(outDir, 'primary/postgresql.conf')).toBe(0o644);
    expect(mode(outDir, '.pgsynth/manifest.json')).toBe(0o644);
  });

  it('fixes a mode that changed without rewriting the content', () => {
    const outDir = tempDir();
    writeFiles(cluster(), { outDir });
    const before = snapshot(outDir).get('docker-compose.yml')!;
    const files = cluster().map((file) => (file.path === 'docker-compose.yml' ? { ...file, secret: true } : file));

    const report = writeFiles(files, { outDir });

    expect(report.changed).toEqual(['docker-compose.yml']);
    const after = snapshot(outDir).get('docker-compose.yml')!;
    expect(after.mode).toBe(0o600);
    expect(after.ino).toBe(before.ino);
    expect(after.content).toBe(before.content);
  });

  it('removes temp files an interrupted run left behind, and only those', () => {
    const outDir = tempDir();
    writeFiles(cluster(), { outDir });
    const leftover = join(outDir, 'primary/.postgresql.conf.48211.0123456789ab.tmp');
    writeFileSync(leftover, 'half a file');
    const userTemp = join(outDir, 'primary/.scratch.tmp');
    writeFileSync(userTemp, 'mine');

    writeFiles(cluster(), { outDir });

    expect(existsSync(leftover)).toBe(false);
    expect(readFileSync(userTemp, 'utf8')).toBe('mine');
  });

  it('recreates a generated file that was deleted from disk', () => {
    const outDir = tempDir();
    writeFiles(cluster(), { outDir });
    rmSync(join(outDir, 'haproxy/haproxy.cfg'));

    const report = writeFiles(cluster(), { outDir });

    expect(report.created).toEqual(['haproxy/haproxy.cfg']);
    expect(read(outDir, 'haproxy/haproxy.cfg')).toBe(cluster()[2]!.content);
  });
});
