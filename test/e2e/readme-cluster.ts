// The README example topology for the end-to-end suites, on the host's PostgreSQL major (read
// from the installed server, as `synth up` finds it) and on ports free right now, so suites and other tests on the README's fixed ports can run at once.
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Cluster, Haproxy, PgPool, Primary, Replica, type PgPoolProps } from '../../src/index.js';
import { findFreePorts } from '../support/ports.js';
import { hostPostgres } from '../support/binaries.js';

export interface ReadmePorts {
  primary: number;
  replica1: number;
  replica2: number;
  pgpool: number;
  pcp: number;
  rw: number;
  ro: number;
  stats: number;
}

export async function readmePorts(): Promise<ReadmePorts> {
  const [primary, replica1, replica2, pgpool, pcp, rw, ro, stats] = (await findFreePorts(8)) as [number, number, number, number, number, number, number, number];
  return { primary, replica1, replica2, pgpool, pcp, rw, ro, stats };
}

/** The README's cluster: primary, pg-replica1 synchronous, pg-replica2 async, Pgpool-II over all three, HAProxy RW/RO/stats. */
export function readmeCluster(ports: ReadmePorts, pgpoolExtra: Partial<PgPoolProps> = {}): Cluster {
  const cluster = new Cluster({ name: 'shop', postgresVersion: hostPostgres().major });
  // Every statement is logged, so a test can show that no password reaches the primary's log.
  const primary = new Primary(cluster, 'pg-primary', { hostPort: ports.primary, database: 'app', settings: { log_statement: 'all' } });
  const r1 = new Replica(cluster, 'pg-replica1', { primary, hostPort: ports.replica1, synchronous: true });
  const r2 = new Replica(cluster, 'pg-replica2', { primary, hostPort: ports.replica2 });
  const pgpool = new PgPool(cluster, 'pgpool', {
    backends: [primary, r1, r2],
    hostPort: ports.pgpool,
    pcpHostPort: ports.pcp,
    numInitChildren: 32,
    maxPool: 4,
    loadBalance: true,
    ...pgpoolExtra,
  });
  new Haproxy(cluster, 'haproxy', { upstream: pgpool, readWrite: { hostPort: ports.rw }, readOnly: { hostPort: ports.ro }, stats: { hostPort: ports.stats } });
  return cluster;
}

/** A temporary folder the postgres OS user can traverse (mkdtemp makes it 0700 for root). */
export function workDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

export interface ConnConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** Runs `fn` on a fresh node-postgres client and always closes it. */
export async function withPg<T>(config: ConnConfig, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...config, connectionTimeoutMillis: 5_000, query_timeout: 15_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

export async function sql<R extends pg.QueryResultRow = Record<string, unknown>>(config: ConnConfig, text: string, params: unknown[] = []): Promise<R[]> {
  return withPg(config, async (client) => (await client.query<R>(text, params)).rows);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns a truthy value (a throw counts as not yet). */
export async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(100);
  }
}
