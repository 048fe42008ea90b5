import { formatPatch, structuredPatch } from 'diff';

/** A file's content and permission bits, on disk or as synth would write it. */
export interface FileVersion {
  content: string;
  mode: number;
}

/**
 * A git-style patch that turns `before` (what is on disk) into `after` (what synth
 * would write); a missing side is a creation or a deletion. Mode changes get git's
 * `old mode`/`new mode` lines so a lost executable bit shows up as drift too.
 * Returns '' when the two are identical.
 */
export function fileDiff(path: string, before: FileVersion | undefined, after: FileVersion | undefined): string {
  const oldName = before ? `a/${path}` : '/dev/null';
  const newName = after ? `b/${path}` : '/dev/null';
  const patch = structuredPatch(oldName, newName, before?.content ?? '', after?.content ?? '');
  const modeChanged = before !== undefined && after !== undefined && before.mode !== after.mode;
  if (patch.hunks.length === 0 && !modeChanged) return '';
  return formatPatch({
    ...patch,
    isGit: true,
    isCreate: before === undefined,
    isDelete: after === undefined,
    ...(before && (modeChanged || !after) && { oldMode: gitMode(before.mode) }),
    ...(after && (modeChanged || !before) && { newMode: gitMode(after.mode) }),
  });
}

function gitMode(mode: number): string {
  return `100${mode.toString(8).padStart(3, '0')}`;
}
