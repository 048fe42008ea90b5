import { createServer } from 'node:net';

/** True when nothing listens on host:port (we could bind it). */
export function isPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Distinct free ports below the kernel's ephemeral range (32768+), where the cluster's own
 * outgoing connections could take one between this check and the server's bind.
 */
export async function findFreePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const chosen = new Set<number>();
  while (chosen.size < count) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (!chosen.has(port) && (await isPortFree(host, port))) chosen.add(port);
  }
  return [...chosen];
}

/** A port the kernel considers free right now; another process may still take it before we do. */
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
