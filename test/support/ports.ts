import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPortFree } from '../../src/process/ports.js';

// Ports for the servers tests start. Test files run in parallel workers, and two of them could
// find the same port free before either binds it (seen: HAProxy "Address already in use" in a
// full run). Each port is claimed with an exclusive file in the run's private TMPDIR
// (test/support/private-tmpdir.ts), so no two files of one run are handed the same port.

/** Where this run's claimed ports are recorded; private-tmpdir.ts expects it. */
export const RESERVED_PORTS_DIR = 'reserved-ports';

function claim(port: number): boolean {
  const dir = join(tmpdir(), RESERVED_PORTS_DIR);
  mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(join(dir, String(port)), '', { flag: 'wx' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Distinct free ports below the kernel's ephemeral range (32768+), where the cluster's own
 * outgoing connections could take one between this check and the server's bind.
 */
export async function findFreePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const chosen: number[] = [];
  while (chosen.length < count) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (claim(port) && (await isPortFree(host, port))) chosen.push(port);
  }
  return chosen;
}

/** One free port from the kernel's ephemeral range (nothing else of this run picks there). */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
