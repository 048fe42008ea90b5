import { chmodSync, lstatSync, mkdirSync, readdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fsyncDirectory, removeLeftoverTempFiles, writeFileAtomic } from './atomic-write.js';
import { fileDiff, type FileVersion } from './check.js';
import { comparePaths, fileMode, hasMarker, type GeneratedFile } from './generated-file.js';
import { MANIFEST_PATH, readManifest, serializeManifest, sha256, type Manifest } from './manifest.js';
import { lookUp, pathProblem, STATE_DIR, type OnDisk } from './safe-path.js';

export interface WriteOptions {
  outDir: string;
  /** Overwrite or delete hand-edited generated files and foreign files in the way. */
  force?: boolean;
}

/** Paths relative to outDir, each list sorted. */
export interface WriteReport {
  created: string[];
  changed: string[];
  deleted: string[];
  unchanged: string[];
}

export interface DriftReport {
  clean: boolean;
  /** Git-style unified diff from what is on disk to what synth would write; '' when clean. */
  diff: string;
  /** Sorted paths that are missing, different, or stale (would be deleted). */
  drifted: string[];
}

export type WriterErrorCode =
  /** A generated file was edited by hand since the last synth. */
  | 'PGS900'
  /** A file pgsynth did not generate stands where it must write. */
  | 'PGS901'
  /** A path would reach outside the output directory. */
  | 'PGS902'
  /** Two generated files share a path. */
  | 'PGS903';

/** `message` states the problem; `fix` is kept apart so the CLI can print it on its own line. */
export class WriterError extends Error {
  /** Every offending path; `file` joins them for one-line display. */
  readonly files: readonly string[];
  readonly file: string;

  constructor(
    readonly code: WriterErrorCode,
    files: string[],
    problem: string,
    readonly fix: string,
  ) {
    super(`${code}: ${problem}`);
    this.name = 'WriterError';
    this.files = files;
    this.file = files.join(', ');
  }
}

const FORCE_FIX = 'run synth --force to overwrite, or move your changes into cluster.config.ts';

/**
 * Brings outDir in line with `files` while never clobbering user work: every
 * conflict is found before the first byte is written, each file is replaced
 * atomically, and the manifest that records ownership is written last.
 */
export function writeFiles(files: GeneratedFile[], options: WriteOptions): WriteReport {
  const { outDir, force = false } = options;
  const { targets, stale, manifest } = survey(files, outDir);
  const manifestOnDisk = lookUp(outDir, MANIFEST_PATH);
  if (manifestOnDisk.kind === 'escapes') throw escapeError(outDir, [{ path: MANIFEST_PATH, via: manifestOnDisk.via }]);

  const targetPlan = targets.map((target) => ({ target, ...decideTarget(target, manifest) }));
  const stalePlan = stale.map((entry) => ({ entry, ...decideStale(entry) }));
  const conflicts = [...targetPlan, ...stalePlan].flatMap(({ conflict }) => (conflict ? [conflict] : []));
  const manifestConflict = obstacleConflict(MANIFEST_PATH, manifestOnDisk);
  if (manifestConflict) conflicts.push(manifestConflict);
  const blocking = force ? conflicts.filter((conflict) => !conflict.forceable) : conflicts;
  if (blocking.length > 0) throw conflictError(blocking);

  const report: WriteReport = { created: [], changed: [], deleted: [], unchanged: [] };
  const writtenDirs = new Set<string>();
  const write = (path: string, content: string, mode: number): void => {
    const dir = dirname(join(outDir, path));
    mkdirSync(dir, { recursive: true });
    writeFileAtomic(join(outDir, path), content, mode);
    writtenDirs.add(dir);
  };

  mkdirSync(outDir, { recursive: true });
  sweepTempFiles(outDir, [...targets.map(({ file }) => file.path), ...stale.map(({ path }) => path), MANIFEST_PATH]);

  const listFor = { create: report.created, rewrite: report.changed, chmod: report.changed, keep: report.unchanged };
  for (const { target, action } of targetPlan) {
    const { file } = target;
    if (action === 'create' || action === 'rewrite') write(file.path, file.content, fileMode(file));
    if (action === 'chmod') chmodSync(join(outDir, file.path), fileMode(file));
    listFor[action].push(file.path);
  }
  for (const { entry, action } of stalePlan) {
    if (action !== 'delete') continue;
    rmSync(join(outDir, entry.path));
    removeEmptyParents(outDir, entry.path);
    report.deleted.push(entry.path);
  }

  // The manifest goes last, after the renames are durable: until then the old one
  // still describes what synth owns, so an interrupted run is simply rerun.
  for (const dir of writtenDirs) fsyncDirectory(dir);
  const manifestText = serializeManifest(new Map(targets.map(({ file }) => [file.path, sha256(file.content)])));
  if (manifestText !== manifest.text) {
    const stateDir = join(outDir, STATE_DIR);
    mkdirSync(stateDir, { recursive: true });
    writeFileAtomic(join(outDir, MANIFEST_PATH), manifestText, 0o644);
    fsyncDirectory(stateDir);
  }

  for (const list of Object.values(report)) list.sort(comparePaths);
  return report;
}

/** Reports how outDir differs from what `writeFiles(files)` would leave there. Writes nothing. */
export function checkFiles(files: GeneratedFile[], outDir: string): DriftReport {
  const { targets, stale } = survey(files, outDir);
  const patches: { path: string; patch: string }[] = [];
  for (const { file, onDisk } of targets) {
    const after = { content: file.content, mode: fileMode(file) };
    patches.push({ path: file.path, patch: fileDiff(file.path, onDiskVersion(onDisk), after) });
  }
  for (const { path, onDisk } of stale) {
    const before = onDiskVersion(onDisk);
    if (before) patches.push({ path, patch: fileDiff(path, before, undefined) });
  }
  const drifted = patches.filter(({ patch }) => patch !== '').sort((a, b) => comparePaths(a.path, b.path));
  return {
    clean: drifted.length === 0,
    diff: drifted.map(({ patch }) => patch).join(''),
    drifted: drifted.map(({ path }) => path),
  };
}

function onDiskVersion(onDisk: Present): FileVersion | undefined {
  return onDisk.kind === 'file' ? { content: onDisk.content.toString('utf8'), mode: onDisk.mode } : undefined;
}

type Present = Exclude<OnDisk, { kind: 'escapes' }>;
interface Target {
  file: GeneratedFile;
  onDisk: Present;
}
/** A file the previous run generated that is no longer produced. */
interface Stale {
  path: string;
  onDisk: Present;
  recordedHash: string;
}
interface Survey {
  targets: Target[];
  stale: Stale[];
  manifest: Manifest;
}

/** Validates the request and reads what is currently at every path it touches. */
function survey(files: GeneratedFile[], outDir: string): Survey {
  rejectDuplicates(files);
  rejectBadPaths(files);
  const targets: Target[] = [];
  const escapes: Escape[] = [];
  for (const file of files) {
    const onDisk = lookUp(outDir, file.path);
    if (onDisk.kind === 'escapes') escapes.push({ path: file.path, via: onDisk.via });
    else targets.push({ file, onDisk });
  }
  if (escapes.length > 0) throw escapeError(outDir, escapes);

  const manifest = readManifest(outDir);
  const produced = new Set(files.map((file) => file.path));
  const stale: Stale[] = [];
  for (const [path, recordedHash] of manifest.hashes) {
    // Only plain in-tree paths can be ours; never delete anything else a tampered manifest names.
    if (produced.has(path) || pathProblem(path) !== undefined) continue;
    const onDisk = lookUp(outDir, path);
    if (onDisk.kind !== 'escapes') stale.push({ path, onDisk, recordedHash });
  }
  return { targets, stale, manifest };
}

type Action = 'create' | 'rewrite' | 'chmod' | 'keep';
interface Conflict {
  path: string;
  code: 'PGS900' | 'PGS901';
  reason: string;
  /** False when even --force cannot help, e.g. a directory stands where a file must go. */
  forceable: boolean;
}
/** With a conflict, `action` is what happens under --force (never, if it is not forceable). */
interface Decision<A> {
  action: A;
  conflict?: Conflict;
}

function decideTarget({ file, onDisk }: Target, manifest: Manifest): Decision<Action> {
  if (onDisk.kind !== 'file') return { action: 'create', conflict: obstacleConflict(file.path, onDisk) };
  const wanted = Buffer.from(file.content, 'utf8');
  // Equal content is never a conflict; this also makes a rerun after a crash converge.
  if (onDisk.content.equals(wanted)) return { action: onDisk.mode === fileMode(file) ? 'keep' : 'chmod' };
  const recorded = manifest.hashes.get(file.path);
  if (recorded !== undefined) {
    if (sha256(onDisk.content) === recorded) return { action: 'rewrite' };
    const reason = 'was edited by hand since the last synth';
    return { action: 'rewrite', conflict: { path: file.path, code: 'PGS900', reason, forceable: true } };
  }
  // Carrying the marker means an earlier synth wrote it (the manifest was lost).
  if (hasMarker(onDisk.content.toString('utf8'))) return { action: 'rewrite' };
  const reason = 'was not generated by pgsynth (no marker, not in the manifest)';
  return { action: 'rewrite', conflict: { path: file.path, code: 'PGS901', reason, forceable: true } };
}

/** Something that is not a regular file stands where synth must write one. */
function obstacleConflict(path: string, onDisk: Present): Conflict | undefined {
  if (onDisk.kind === 'blocked') {
    const reason = `is not a directory, but synth must write ${path} inside it`;
    return { path: onDisk.by, code: 'PGS901', reason, forceable: false };
  }
  if (onDisk.kind === 'not-a-file') return { path, code: 'PGS901', reason: 'is not a regular file', forceable: false };
  return undefined;
}

function decideStale({ path, onDisk, recordedHash }: Stale): Decision<'delete' | 'leave'> {
  // Anything but the regular file we wrote is no longer ours to delete.
  if (onDisk.kind !== 'file') return { action: 'leave' };
  if (sha256(onDisk.content) === recordedHash) return { action: 'delete' };
  const reason = 'is no longer generated and would be deleted, but was edited by hand since the last synth';
  return { action: 'delete', conflict: { path, code: 'PGS900', reason, forceable: true } };
}

function conflictError(conflicts: Conflict[]): WriterError {
  const sorted = [...conflicts].sort((a, b) => comparePaths(a.path, b.path));
  const code = sorted.some((conflict) => conflict.code === 'PGS900') ? 'PGS900' : 'PGS901';
  const fixes: string[] = [];
  if (sorted.some((conflict) => conflict.forceable)) fixes.push(FORCE_FIX);
  const inTheWay = sorted.filter((conflict) => !conflict.forceable).map((conflict) => conflict.path);
  if (inTheWay.length > 0) fixes.push(`move or remove ${inTheWay.join(', ')} (--force does not replace those)`);
  const lines = sorted.map((conflict) => `  ${conflict.path} ${conflict.reason}`);
  return new WriterError(
    code,
    sorted.map((conflict) => conflict.path),
    `synth stopped before writing anything; these files are not safe to replace:\n${lines.join('\n')}`,
    fixes.join('; '),
  );
}

function rejectDuplicates(files: GeneratedFile[]): void {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const { path } of files) (seen.has(path) ? duplicates : seen).add(path);
  if (duplicates.size === 0) return;
  const paths = [...duplicates].sort(comparePaths);
  throw new WriterError(
    'PGS903',
    paths,
    `more than one generated file has the path ${paths.join(', ')}`,
    'give every generated file its own path (two renderers produced the same one)',
  );
}

function rejectBadPaths(files: GeneratedFile[]): void {
  const bad = files.flatMap(({ path }) => {
    const problem = pathProblem(path);
    return problem === undefined ? [] : [{ path, problem }];
  });
  if (bad.length === 0) return;
  throw new WriterError(
    'PGS902',
    bad.map(({ path }) => path),
    `unsafe output path:\n${bad.map(({ path, problem }) => `  ${JSON.stringify(path)}: ${problem}`).join('\n')}`,
    'give every generated file a relative path with forward slashes that stays inside the output directory',
  );
}

interface Escape {
  path: string;
  /** The symlink (relative to outDir) that leads outside. */
  via: string;
}

function escapeError(outDir: string, escapes: Escape[]): WriterError {
  const paths = escapes.map(({ path }) => path).sort(comparePaths);
  const links = [...new Set(escapes.map(({ via }) => via))].sort(comparePaths).join(', ');
  return new WriterError(
    'PGS902',
    paths,
    `writing ${paths.join(', ')} would follow a symlink out of ${outDir}: ${links}`,
    `remove the symlink ${links} or point it at a directory inside ${outDir}`,
  );
}

/** Removes temp files a crashed run left next to any file this run touches. */
function sweepTempFiles(outDir: string, paths: string[]): void {
  const dirs = new Set(paths.map((path) => join(outDir, posix.dirname(path))));
  for (const dir of dirs) if (statSync(dir, { throwIfNoEntry: false })?.isDirectory()) removeLeftoverTempFiles(dir);
}

/** After a deletion, removes the directories that deletion left empty, stopping at outDir. */
function removeEmptyParents(outDir: string, path: string): void {
  for (let dir = posix.dirname(path); dir !== '.'; dir = posix.dirname(dir)) {
    const absolute = join(outDir, dir);
    if (lstatSync(absolute).isSymbolicLink() || readdirSync(absolute).length > 0) return;
    rmdirSync(absolute);
  }
}
