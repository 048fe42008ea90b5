/**
 * The postgres server under our process manager, and the replication state a primary reports.
 * (initdb and the clone are the rendered scripts' work: src/render/postgres/.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatConninfo } from '../conninfo.js';
import { makeOwnedDir } from './files.js';
import { isAlive, startServer, type ServerProcess } from './processes.js';
import { runTool, type RunAs, type ToolResult } from './run-as.js';
import { query, type PgConn } from './sql.js';
import { waitFor } from './wait.js';

export interface StartPostgresOptions {
  binDir: string;
  dataDir: string;
  /** A postgresql.conf outside the data directory (it should set hba_file too). */
  configFile?: string;
  logFile: string;
  /** Our pid file; default: logFile with .pid instead of .log. */
  pidFile?: string;
  runAs?: RunAs;
  /** Name used in errors; default "postgres". */
  name?: string;
  /** Wait until postmaster.pid says ready/standby; default 30000 ms. 0 skips the wait. */
  readyTimeoutMs?: number;
}

/**
 * The postmaster's own status line (line 8 of postmaster.pid), the same
 * signal pg_ctl waits on: "ready", or "standby" when hot_standby is off.
 */
export function postmasterStatus(dataDir: string, pid: number): string | undefined {
  try {
    const lines = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
    if (Number(lines[0]) !== pid) return undefined;
    return lines[7]?.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Starts `postgres -D dataDir` detached and waits until it accepts connections. */
export async function startPostgres(opts: StartPostgresOptions): Promise<ServerProcess> {
  const name = opts.name ?? 'postgres';
  const server = await startServer({
    name,
    bin: join(opts.binDir, 'postgres'),
    args: ['-D', opts.dataDir, ...(opts.configFile ? ['-c', `config_file=${opts.configFile}`] : [])],
    logFile: opts.logFile,
    pidFile: opts.pidFile,
    runAs: opts.runAs,
  });
  const timeoutMs = opts.readyTimeoutMs ?? 30_000;
  if (timeoutMs > 0) {
    await waitFor(
      () => {
        const status = postmasterStatus(opts.dataDir, server.pid);
        return status === 'ready' || status === 'standby';
      },
      {
        what: `${name} to accept connections`,
        timeoutMs,
        intervalMs: 20,
        logFile: opts.logFile,
        abortIf: () => (isAlive(server.pid, server.startTime) ? undefined : `${name} exited`),
      },
    );
  }
  return server;
}

export interface ReplicationRow {
  application_name: string;
  state: string;
  sync_state: string;
  client_addr: string | null;
}

/** pg_stat_replication on the primary. */
export function replicationStatus(primary: PgConn): Promise<ReplicationRow[]> {
  return query<ReplicationRow>(
    primary,
    `SELECT application_name, state, sync_state, client_addr::text AS client_addr
       FROM pg_stat_replication ORDER BY application_name`,
  );
}

/** Waits until every named standby streams from the primary. */
export async function waitForStreaming(
  primary: PgConn,
  applicationNames: readonly string[],
  opts: { timeoutMs?: number; logFile?: string; abortIf?: () => string | undefined } = {},
): Promise<ReplicationRow[]> {
  return waitFor(
    async () => {
      const rows = await replicationStatus(primary);
      const streaming = new Set(rows.filter((row) => row.state === 'streaming').map((row) => row.application_name));
      return applicationNames.every((name) => streaming.has(name)) ? rows : undefined;
    },
    {
      what: `standbys ${applicationNames.join(', ')} to stream from ${primary.host}:${primary.port}`,
      timeoutMs: opts.timeoutMs ?? 30_000,
      intervalMs: 50,
      logFile: opts.logFile,
      ...(opts.abortIf ? { abortIf: opts.abortIf } : {}),
    },
  );
}
