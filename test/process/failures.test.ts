/** Failures of the real binaries surface as LocalRunErrors carrying the server's own words. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { hostPgpool, hostPostgres } from '../support/binaries.js';
import { LocalRunError } from '../../src/process/errors.js';
import { startPgpool } from '../../src/process/pgpool.js';
import { findFreePort } from '../support/ports.js';
import { startPostgres } from '../../src/process/postgres.js';
import { baseBackup } from '../support/pg-bootstrap.js';
import { chownTree, resolveRunAs } from '../../src/process/run-as.js';

const runAs = resolveRunAs();
const dir = mkdtempSync(join(tmpdir(), 'pgsynth-fail-'));
chownTree(dir, runAs.uid, runAs.gid);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function runError(promise: Promise<unknown>): Promise<LocalRunError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(LocalRunError);
  return error as LocalRunError;
}

describe('failures of the real binaries', () => {
  const pg = hostPostgres();

  test('postgres exiting at start ends the wait at once, with its log', async () => {
    const started = performance.now();
    const error = await runError(
      startPostgres({ binDir: pg.binDir, dataDir: join(dir, 'nothing-here'), logFile: join(dir, 'pg.log'), runAs, name: 'primary' }),
    );
    expect(error.code).toBe('WAIT_ABORTED');
    expect(error.message).toContain('Gave up waiting for primary to accept connections: primary exited.');
    expect(error.logTail).toMatch(/nothing-here/);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  test('pg_basebackup against a closed port reports libpq’s error', async () => {
    const port = await findFreePort();
    const error = await runError(
      baseBackup({
        binDir: pg.binDir,
        dataDir: join(dir, 'replica'),
        host: '127.0.0.1',
        port,
        user: 'replicator',
        password: 'x',
        applicationName: 'replica1',
        slot: 'replica1_slot',
        runAs,
      }),
    );
    expect(error.code).toBe('TOOL_FAILED');
    expect(error.message).toMatch(/^pg_basebackup exited with code 1/);
    expect(error.logTail).toMatch(/Connection refused/);
  });

  test('pgpool refusing its config ends the wait with pgpool’s message', async () => {
    const config = join(dir, 'pgpool.conf');
    const port = await findFreePort();
    writeFileSync(config, `backend_clustering_mode = 'bogus'\nlisten_addresses = '127.0.0.1'\nport = ${port}\n`);
    for (const name of ['pcp.conf', 'pool_hba.conf']) writeFileSync(join(dir, name), '');
    const error = await runError(
      startPgpool({
        bin: hostPgpool().bin,
        configFile: config,
        pcpFile: join(dir, 'pcp.conf'),
        hbaFile: join(dir, 'pool_hba.conf'),
        logFile: join(dir, 'pgpool.log'),
        runAs,
        port,
        readyTimeoutMs: 10_000,
      }),
    );
    expect(error.message).toContain('pgpool exited');
    expect(error.logTail).toMatch(/invalid value for parameter "backend_clustering_mode"/);
  });
});
