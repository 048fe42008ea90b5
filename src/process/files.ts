import { chmodSync, lchownSync, mkdirSync, writeFileSync } from 'node:fs';
import { isRoot, type RunAs } from './run-as.js';

/** Writes a file the run-as user owns (secrets: 0600 by default). */
export function writeOwnedFile(path: string, content: string, runAs: RunAs | undefined, mode = 0o600): void {
  writeFileSync(path, content, { mode });
  chmodSync(path, mode); // writeFileSync keeps the mode of an existing file.
  if (runAs?.switched && isRoot()) lchownSync(path, runAs.uid, runAs.gid);
}

/** Creates a directory (and parents) the run-as user owns; data directories need 0700. */
export function makeOwnedDir(path: string, runAs: RunAs | undefined, mode = 0o700): void {
  mkdirSync(path, { recursive: true, mode });
  chmodSync(path, mode);
  if (runAs?.switched && isRoot()) lchownSync(path, runAs.uid, runAs.gid);
}
