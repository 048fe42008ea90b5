/**
 * Minimal node-postgres helpers. `pg` is imported lazily so that synthesizing
 * files never loads it; only the local runtime talks SQL.
 */
import type { Client, QueryResultRow } from 'pg';
import { LocalSetupError } from './errors.js';

export interface PgConn {
  host: string;
  port: number;
  user: string;
  password?: string;
  database?: string;
  applicationName?: string;
  /** Default 5000 ms. */
  connectTimeoutMs?: number;
  /** Client-side limit per query; default 10000 ms. */
  queryTimeoutMs?: number;
}

/** node-postgres, loaded only by synth up (off the synth path); a broken install gets a fix, not a bare resolve error. */
async function loadPg(): Promise<typeof import('pg')> {
  try {
    return await import('pg');
  } catch (error) {
    const message = `synth up talks SQL through the 'pg' package, which could not be loaded: ${(error as Error).message}`;
    throw new LocalSetupError('PG_CLIENT_MISSING', message, 'Reinstall pgsynth (npm install), which depends on pg.');
  }
}

/** Opens a connection, runs `fn`, and always closes it. */
export async function withClient<T>(conn: PgConn, fn: (client: Client) => Promise<T>): Promise<T> {
  const { Client } = await loadPg();
  const client = new Client({
    host: conn.host,
    port: conn.port,
    user: conn.user,
    password: conn.password,
    database: conn.database ?? 'postgres',
    application_name: conn.applicationName ?? 'pgsynth',
    connectionTimeoutMillis: conn.connectTimeoutMs ?? 5_000,
    query_timeout: conn.queryTimeoutMs ?? 10_000,
    ssl: false,
  });
  // A server going away mid-session emits 'error' on the client; the failed query reports it instead.
  client.on('error', () => {});
  try {
    await client.connect();
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Runs one statement on a fresh connection and returns its rows. */
export function query<R extends QueryResultRow = Record<string, unknown>>(
  conn: PgConn,
  sql: string,
  params: unknown[] = [],
): Promise<R[]> {
  return withClient(conn, async (client) => (await client.query<R>(sql, params)).rows);
}
