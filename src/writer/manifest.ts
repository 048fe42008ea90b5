import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { STATE_DIR } from './safe-path.js';
import { comparePaths } from '../render/generated-file.js';

/** Where, relative to outDir, the writer records what it generated. */
export const MANIFEST_PATH = `${STATE_DIR}/manifest.json`;
/**
 * What a run is about to write, recorded before its first rename and removed after the manifest:
 * a run killed in between left files the old manifest does not describe, and this says they are
 * pgsynth's (the manifest and the files change as one unit).
 */
export const JOURNAL_PATH = `${STATE_DIR}/journal.json`;

const manifestSchema = z.object({
  version: z.literal(1),
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
});

/** The previous run's record: generated path → sha256 of the content it wrote. */
export interface Manifest {
  hashes: Map<string, string>;
  /** The manifest file exactly as on disk, so an identical one is not rewritten. */
  text: string | undefined;
}

export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * A missing or unreadable manifest counts as empty. That is the safe direction:
 * files are then only overwritten when they carry the marker, and nothing is deleted.
 */
export function readManifest(outDir: string): Manifest {
  const text = readIfPresent(join(outDir, MANIFEST_PATH));
  return { hashes: text === undefined ? new Map() : parseHashes(text), text };
}

/**
 * The journal an interrupted run left, if any: path → hash of what that run was writing. A file
 * whose content has that hash is pgsynth's, exactly as if the manifest had been written.
 */
export function readJournal(outDir: string): Map<string, string> {
  const text = readIfPresent(join(outDir, JOURNAL_PATH));
  return text === undefined ? new Map() : parseHashes(text);
}

/** The file's text, or undefined when it cannot be read (no earlier run wrote it). */
function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** path → hash of a manifest or journal; unreadable JSON counts as empty. */
function parseHashes(text: string): Map<string, string> {
  const parsed = manifestSchema.safeParse(parseJson(text));
  return new Map(parsed.success ? Object.entries(parsed.data.files) : []);
}

/** Stable text: sorted keys, two-space indent, trailing newline, so the file diffs cleanly. */
export function serializeManifest(hashes: Map<string, string>): string {
  const files = Object.fromEntries([...hashes].sort(([a], [b]) => comparePaths(a, b)));
  return `${JSON.stringify({ version: 1, files }, null, 2)}\n`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
