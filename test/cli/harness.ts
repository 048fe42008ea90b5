import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run.js';
import type { Output } from '../../src/cli/output.js';
import { onTestFinished } from 'vitest';

export const SRC_INDEX = new URL('../../src/index.js', import.meta.url).pathname;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process in `cwd`, capturing what it prints (no color: not a TTY). */
export async function synthCli(cwd: string, ...argv: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const output: Output = { out: (l) => out.push(l), err: (l) => err.push(l), color: false };
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const code = await runCli(argv, output);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    process.chdir(previous);
  }
}

/**
 * The first config a test process loads compiles pgsynth's sources through jiti: seconds on a
 * busy machine. Call this in beforeAll so that cost is not charged to a test's 20 s.
 */
export async function loadPgsynthOnce(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pgsynth-cli-'));
  try {
    writeFileSync(join(dir, 'cluster.config.ts'), README_CONFIG.replaceAll("from 'pgsynth'", `from '${SRC_INDEX}'`));
    const { code, stderr } = await synthCli(dir, 'validate');
    if (code !== 0) throw new Error(`loading the README config failed: ${stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A temp project whose cluster.config.ts imports pgsynth's source; removed when the current test ends. */
export function projectWith(config: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pgsynth-cli-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'cluster.config.ts'), config.replaceAll("from 'pgsynth'", `from '${SRC_INDEX}'`));
  return dir;
}

export const README_CONFIG = `import { Cluster, Primary, Replica, PgPool, Haproxy } from 'pgsynth';

const cluster = new Cluster({ name: 'shop', postgresVersion: 17 });
const primary = new Primary(cluster, 'pg-primary', { hostPort: 5611, database: 'app' });
const r1 = new Replica(cluster, 'pg-replica1', { primary, hostPort: 5612, synchronous: true });
const r2 = new Replica(cluster, 'pg-replica2', { primary, hostPort: 5613 });
const pgpool = new PgPool(cluster, 'pgpool', { backends: [primary, r1, r2], hostPort: 9999, numInitChildren: 32, maxPool: 4, loadBalance: true });
new Haproxy(cluster, 'haproxy', { upstream: pgpool, readWrite: { hostPort: 5100 }, readOnly: { hostPort: 5101 }, stats: { hostPort: 8406 } });

export default cluster;
`;
