import { closeSync, constants, existsSync, fchmodSync, lstatSync, mkdirSync, openSync, readdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { join, posix, relative, resolve, sep } from 'node:path';
import { fsyncDirectory, removeLeftoverTempFiles, writeFileAtomic } from './atomic-write.js';
import { fileDiff, type FileVersion } from './check.js';
import { DirEscapeError, DirHandles } from './dir-handles.js';
import { comparePaths, fileMode, hasMarker, type GeneratedFile } from '../render/generated-file.js';
import { JOURNAL_PATH, MANIFEST_PATH, readJournal, readManifest, serializeManifest, sha256, type Manifest } from './manifest.js';
import { lookUp, pathProblem, STATE_DIR, type OnDisk } from './safe-path.js';
import { acquireLock } from './write-lock.js';

/** Relative to outDir: held while a run writes, so two runs never interleave. */
export const LOCK_PATH = `${STATE_DIR}/lock`;

export interface WriteOptions {
  outDir: string;
  /** Overwrite or delete hand-edited generated files and foreign files in the way. */
  force?: boolean;
  /** Called before each file is written (tests change the tree there, as a racing process would). */
  onBeforeWrite?: (path: string) => void;
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
  | 'PGS903'
  /** Another synth is writing the same output directory. */
  | 'PGS904'
  /** The output directory is a file, `/`, the project itself or one of its parents. */
  | 'PGS905';

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
 * Brings outDir in line with `files` while never clobbering user work: one run at a time (a lock
 * file), every conflict is found before the first byte is written, each file is replaced
 * atomically through a directory handle verified to be inside outDir, and the files and the
 * manifest that records ownership change as one unit (a journal written before the first rename).
 */
export function writeFiles(files: GeneratedFile[], options: WriteOptions): WriteReport {
  const { outDir } = options;
  refuseOutDirFile(outDir);
  rejectDuplicates(files);
  rejectBadPaths(files);
  mkdirSync(outDir, { recursive: true });
  const hadStateDir = existsSync(join(outDir, STATE_DIR));
  const handles = new DirHandles(outDir);
  let release: (() => void) | undefined;
  try {
    const lock = acquireLock(handles.entry(LOCK_PATH, true));
    if (!lock.acquired) {
      throw new WriterError(
        'PGS904',
        [LOCK_PATH],
        `another synth (pid ${lock.pid}) is writing ${outDir} right now`,
        `wait for it to finish and run synth again; if no synth is running, remove ${join(outDir, LOCK_PATH)}`,
      );
    }
    release = lock.release;
    return writeLocked(files, options, handles);
  } catch (error) {
    if (error instanceof DirEscapeError) throw escapeError(outDir, [{ path: error.relative, via: error.relative }], error.where);
    throw error;
  } finally {
    release?.();
    if (!hadStateDir) removeIfEmpty(join(outDir, STATE_DIR));
    handles.close();
  }
}

function writeLocked(files: GeneratedFile[], options: WriteOptions, handles: DirHandles): WriteReport {
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
  const manifestText = serializeManifest(new Map(targets.map(({ file }) => [file.path, sha256(file.content)])));
  const changes = targetPlan.some(({ action }) => action !== 'keep') || stalePlan.some(({ action }) => action === 'delete');
  const stateDir = () => handles.dir(STATE_DIR, true);
  if (changes) {
    // Before the first rename: from here until the manifest is written, this says what is ours.
    writeFileAtomic(handles.entry(JOURNAL_PATH, true), manifestText, 0o644);
    fsyncDirectory(stateDir());
  }

  const writtenDirs = new Set<string>();
  sweepTempFiles(outDir, [...targets.map(({ file }) => file.path), ...stale.map(({ path }) => path), MANIFEST_PATH]);

  const listFor = { create: report.created, rewrite: report.changed, chmod: report.changed, keep: report.unchanged };
  for (const { target, action } of targetPlan) {
    const { file } = target;
    if (action !== 'keep') options.onBeforeWrite?.(file.path);
    if (action === 'create' || action === 'rewrite') {
      writeFileAtomic(handles.entry(file.path, true), file.content, fileMode(file));
      writtenDirs.add(posix.dirname(file.path));
    }
    if (action === 'chmod') chmodNoFollow(handles.entry(file.path, false), fileMode(file));
    listFor[action].push(file.path);
  }
  for (const { entry, action } of stalePlan) {
    if (action !== 'delete') continue;
    rmSync(handles.entry(entry.path, false));
    removeEmptyParents(outDir, entry.path, handles);
    report.deleted.push(entry.path);
  }

  // The manifest goes last, after the renames are durable; the journal covered the gap.
  for (const dir of writtenDirs) fsyncDirectory(handles.dir(dir === '.' ? '' : dir, false));
  if (manifestText !== manifest.text) {
    writeFileAtomic(handles.entry(MANIFEST_PATH, true), manifestText, 0o644);
    fsyncDirectory(stateDir());
  }
  if (changes || manifest.journaled) {
    rmSync(handles.entry(JOURNAL_PATH, true), { force: true });
    fsyncDirectory(stateDir());
  }

  for (const list of Object.values(report)) list.sort(comparePaths);
  return report;
}

/** chmod of the file itself, never of what a symlink swapped in for it points to. */
function chmodNoFollow(path: string, mode: number): void {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    fchmodSync(fd, mode);
  } finally {
    closeSync(fd);
  }
}

function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty (the manifest is there), or already gone
  }
}

/**
 * Why `outDir` cannot be the output directory, or undefined. pgsynth deletes the files it wrote
 * there earlier and writes its own beside whatever is there, so it must be a directory of its own:
 * not `/`, not the project (`projectRoot`) nor a folder above it, and not a file.
 */
export function outDirProblem(outDir: string, projectRoot: string): string | undefined {
  const out = resolve(outDir);
  const project = resolve(projectRoot);
  if (out === sep || out === resolve(sep)) return `${outDir} is the root of the file system`;
  if (out === project) return `${outDir} is the project itself (where cluster.config.ts is)`;
  const up = relative(out, project);
  if (up !== '' && !up.startsWith('..') && !posix.isAbsolute(up)) return `${outDir} is a folder above the project (${project})`;
  const stats = statSync(out, { throwIfNoEntry: false });
  if (stats && !stats.isDirectory()) return `${outDir} is a file, not a directory`;
  return undefined;
}

/** The output directory of `writeFiles` and `checkFiles` must be a directory if it exists. */
function refuseOutDirFile(outDir: string): void {
  const stats = statSync(outDir, { throwIfNoEntry: false });
  if (stats && !stats.isDirectory()) {
    throw new WriterError('PGS905', [outDir], `the output directory ${outDir} is a file, not a directory`, 'pass --out a directory (it is created when missing), e.g. --out cluster');
  }
}

/** Reports how outDir differs from what `writeFiles(files)` would leave there. Writes nothing. */
export function checkFiles(files: GeneratedFile[], outDir: string): DriftReport {
  refuseOutDirFile(outDir);
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
  manifest: Manifest & { journaled: boolean };
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

  const manifest = withJournal(readManifest(outDir), outDir);
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

/**
 * A run killed between its first rename and its manifest left a journal: each file whose content
 * has the hash the journal recorded is pgsynth's, as if that run had finished.
 */
function withJournal(manifest: Manifest, outDir: string): Manifest & { journaled: boolean } {
  const journal = readJournal(outDir);
  if (journal.size === 0) return { ...manifest, journaled: false };
  const hashes = new Map(manifest.hashes);
  for (const [path, hash] of journal) {
    if (pathProblem(path) !== undefined) continue;
    const onDisk = lookUp(outDir, path);
    if (onDisk.kind === 'file' && sha256(onDisk.content) === hash) hashes.set(path, hash);
  }
  return { hashes, text: manifest.text, journaled: true };
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
  // Only what pgsynth wrote, unchanged and marked: a tampered manifest naming a hash of a user's
  // file cannot make it deletable, since the user's file has no marker.
  if (sha256(onDisk.content) === recordedHash) return { action: hasMarker(onDisk.content.toString('utf8')) ? 'delete' : 'leave' };
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

function escapeError(outDir: string, escapes: Escape[], where?: string): WriterError {
  const paths = escapes.map(({ path }) => path).sort(comparePaths);
  const links = [...new Set(escapes.map(({ via }) => via))].sort(comparePaths).join(', ');
  return new WriterError(
    'PGS902',
    paths,
    where
      ? `${links} in ${outDir} became a way out of it while synth was writing (it leads to ${where}); synth stopped there`
      : `writing ${paths.join(', ')} would follow a symlink out of ${outDir}: ${links}`,
    `remove the symlink ${links} or point it at a directory inside ${outDir}`,
  );
}

/** Removes temp files a crashed run left next to any file this run touches. */
function sweepTempFiles(outDir: string, paths: string[]): void {
  const dirs = new Set(paths.map((path) => join(outDir, posix.dirname(path))));
  for (const dir of dirs) if (statSync(dir, { throwIfNoEntry: false })?.isDirectory()) removeLeftoverTempFiles(dir);
}

/** After a deletion, removes the directories that deletion left empty, stopping at outDir. */
function removeEmptyParents(outDir: string, path: string, handles: DirHandles): void {
  for (let dir = posix.dirname(path); dir !== '.'; dir = posix.dirname(dir)) {
    const absolute = join(outDir, dir);
    if (lstatSync(absolute).isSymbolicLink() || readdirSync(absolute).length > 0) return;
    // rmdir through the parent's handle: it removes no directory outside, and no symlink.
    const name = handles.entry(dir, false);
    handles.forget(dir);
    rmdirSync(name);
  }
}
