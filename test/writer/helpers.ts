import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { MARKER_TEXT as MARKER } from '../../src/render/marker.js';
import type { GeneratedFile } from '../../src/render/generated-file.js';

/** A fresh directory under the OS temp dir, removed when the current test ends. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pgsynth-writer-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A generated file whose content carries the marker, as every renderer's output does. */
export function generated(path: string, body: string, flags: Partial<GeneratedFile> = {}): GeneratedFile {
  return { path, content: `# ${MARKER}\n${body}\n`, ...flags };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function read(dir: string, path: string): string {
  return readFileSync(join(dir, path), 'utf8');
}

export function mode(dir: string, path: string): number {
  return statSync(join(dir, path)).mode & 0o777;
}

export interface Entry {
  kind: 'file' | 'dir';
  ino: bigint;
  mtimeNs: bigint;
  mode: number;
  content?: string;
}

/**
 * Every file and directory under `dir` with inode, nanosecond mtime, mode and content,
 * so two snapshots are equal only if nothing was created, replaced, touched or removed.
 */
export function snapshot(dir: string): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  for (const path of readdirSync(dir, { recursive: true }) as string[]) {
    const stats = statSync(join(dir, path), { bigint: true });
    const isDir = stats.isDirectory();
    entries.set(path, {
      kind: isDir ? 'dir' : 'file',
      ino: stats.ino,
      // The state directory's own mtime moves with the lock file every run takes; its files count.
      mtimeNs: path === '.pgsynth' ? 0n : stats.mtimeNs,
      mode: Number(stats.mode & 0o777n),
      ...(!isDir && { content: readFileSync(join(dir, path), 'utf8') }),
    });
  }
  return entries;
}

/** Paths of leftover temp files anywhere under `dir`. */
export function tempFilesIn(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((path) => path.endsWith('.tmp'));
}
