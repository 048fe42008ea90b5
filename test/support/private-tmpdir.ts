// vitest globalSetup: the whole run gets its own TMPDIR (workers inherit it, so os.tmpdir() and
// every mkdtemp land there), and the run fails when a test left anything behind in it.
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESERVED_PORTS_DIR } from './ports.js';

/** jiti's transpile cache (config loading uses it, as it does for users) and the ports test/support/ports.ts handed out: not a test's leftovers. */
const CACHES = new Set(['jiti', RESERVED_PORTS_DIR]);

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const dir = mkdtempSync(join(tmpdir(), 'pgsynth-test-run-'));
  // The postgres OS user (servers run as it when the tests run as root) must reach the folders inside.
  chmodSync(dir, 0o755);
  process.env.TMPDIR = dir;
  return () => {
    const left = readdirSync(dir).filter((entry) => !CACHES.has(entry));
    // PGSYNTH_KEEP_TMP keeps the servers' logs of a failed run to read.
    if (process.env.PGSYNTH_KEEP_TMP) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    if (left.length > 0) {
      // vitest prints an error thrown here but still exits 0, so the exit code is set as well.
      process.exitCode = 1;
      throw new Error(`tests left ${left.length} temporary entries behind (now removed): ${left.join(', ')}`);
    }
  };
}
