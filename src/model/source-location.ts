import { fileURLToPath } from 'node:url';
import { join, sep } from 'node:path';
import { packageRoot } from '../package-root.js';
import type { SourceLocation } from '../diagnostic.js';

// Frames from pgsynth's own code (src/ in development, dist/ when installed) are skipped: the
// first frame outside it is the user's `new Primary(...)` line.
const libraryDirs = [join(packageRoot(), 'src') + sep, join(packageRoot(), 'dist') + sep];

const FRAME = /\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?$/;

/** Where the caller outside pgsynth created a construct, parsed from a stack trace. */
export function captureCallSite(): SourceLocation | undefined {
  const stack = new Error().stack ?? '';
  for (const line of stack.split('\n').slice(1)) {
    const match = FRAME.exec(line.trim());
    if (!match) continue;
    const [, rawFile, lineNo, column] = match as unknown as [string, string, string, string];
    if (rawFile.startsWith('node:') || rawFile.includes('/node_modules/jiti/')) continue;
    const file = rawFile.startsWith('file://') ? fileURLToPath(rawFile) : rawFile;
    if (libraryDirs.some((dir) => file.startsWith(dir))) continue;
    return { file, line: Number(lineNo), column: Number(column) };
  }
  return undefined;
}
