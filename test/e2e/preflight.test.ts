/**
 * What `synth up` does when it cannot run the cluster: refuse before starting anything (a port
 * taken, a folder the postgres user cannot reach), or stop again what it started when a later
 * step fails.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { isAlive } from '../../src/process/processes.js';
import { isRoot } from '../../src/process/run-as.js';
import { startLocalCluster } from '../../src/testing-local.js';
import type { LocalState } from '../../src/local/state.js';
import { readmeCluster, readmePorts, workDir } from './readme-cluster.js';

const dir = workDir('pgsynth-e2e-preflight-');
const env = { PATH: process.env.PATH ?? '' };

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** Living processes whose command line names `text` (every server of ours names its local directory). */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text) && isAlive(Number(pid));
      } catch {
        return false;
      }
    })
    .map(Number);
}

const close = (server: Server) => new Promise((resolve) => server.close(resolve));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('synth up refuses or rolls back', () => {
  test('a port in use: refused before anything starts, naming the port and the service', async () => {
    const ports = await readmePorts();
    const blocker = await listen(ports.pgpool);
    const localDir = join(dir, 'busy');
    try {
      await expect(startLocalCluster(readmeCluster(ports), { localDir, env })).rejects.toMatchObject({
        code: 'PORT_IN_USE',
        message: expect.stringContaining(`${ports.pgpool} (pgpool hostPort)`),
      });
      expect(existsSync(join(localDir, 'pg-primary', 'data'))).toBe(false);
    } finally {
      await close(blocker);
    }
  });

  test.runIf(isRoot())('a local directory the postgres user cannot enter: refused with the folder to fix', async () => {
    const closed = join(dir, 'closed');
    mkdirSync(closed, { mode: 0o700 });
    await expect(startLocalCluster(readmeCluster(await readmePorts()), { localDir: join(closed, 'local'), env })).rejects.toMatchObject({
      code: 'LOCAL_DIR_UNREACHABLE',
      message: expect.stringContaining(closed),
    });
  });

  test('a step failing after others started: what this run started is stopped again, the data kept', async () => {
    const ports = await readmePorts();
    const localDir = join(dir, 'rollback');
    let blocker: Promise<Server> | undefined;
    // Once Pgpool runs, take HAProxy's stats port: HAProxy cannot bind it and exits.
    const log = (line: string) => {
      if (line.startsWith('✓ start pgpool')) blocker = listen(ports.stats);
    };
    try {
      await expect(startLocalCluster(readmeCluster(ports), { localDir, env, log })).rejects.toThrow(/haproxy exited/);
    } finally {
      if (blocker) await close(await blocker);
    }
    const state = JSON.parse(readFileSync(join(localDir, 'state.json'), 'utf8')) as LocalState;
    expect(state.services).toEqual([]);
    expect(readFileSync(join(localDir, 'haproxy', 'haproxy.log'), 'utf8')).toMatch(/cannot bind|Address already in use/i);
    expect(existsSync(join(localDir, 'pg-primary', 'data', 'PG_VERSION'))).toBe(true);
    expect(processesMentioning(localDir)).toEqual([]);
  }, 60_000);
});
