/**
 * PostgreSQL steps of `synth up`: initdb for the primary, pg_basebackup for
 * replicas, and the postgres server itself under our process manager.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatConninfo } from '../conninfo.js';
import { makeOwnedDir } from './files.js';
import { isAlive, startServer, type ServerProcess } from './processes.js';
import { runTool, type RunAs, type ToolResult } from './run-as.js';
import { query, type PgConn } from './sql.js';
import { waitFor } from './wait.js';

export interface InitPrimaryOptions {
  binDir: string;
  dataDir: string;
  superuser: string;
  /** Holds the superuser's password; must be readable by the run-as user. */
  passwordFile: string;
  runAs?: RunAs;
  /** Default "C": present everywhere, unlike C.UTF-8 on some systems. */
  locale?: string;
  /** initdb --no-sync: much faster, for throwaway clusters and tests. */
  noSync?: boolean;
  timeoutMs?: number;
}

/** initdb with local trust and SCRAM over TCP; creates dataDir 0700 owned by the run-as user. */
export function initPrimary(opts: InitPrimaryOptions): Promise<ToolResult> {
  makeOwnedDir(opts.dataDir, opts.runAs);
  const args = [
    `--pgdata=${opts.dataDir}`,
    `--username=${opts.superuser}`,
    `--pwfile=${opts.passwordFile}`,
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '--encoding=UTF8',
    `--locale=${opts.locale ?? 'C'}`,
    ...(opts.noSync ? ['--no-sync'] : []),
  ];
  return runTool(join(opts.binDir, 'initdb'), args, { runAs: opts.runAs, timeoutMs: opts.timeoutMs ?? 120_000 });
}

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

export interface BaseBackupOptions {
  binDir: string;
  /** Created 0700 for the run-as user; must not exist or be empty. */
  dataDir: string;
  host: string;
  port: number;
  /** A role with REPLICATION. */
  user: string;
  password: string;
  /** Goes into primary_conninfo: the name pg_stat_replication and synchronous_standby_names use. */
  applicationName: string;
  /** Physical replication slot the replica will stream from; none: pg_basebackup uses a temporary one. */
  slot?: string;
  /** Let pg_basebackup create the slot (--create-slot); otherwise it must exist. */
  createSlot?: boolean;
  runAs?: RunAs;
  noSync?: boolean;
  timeoutMs?: number;
  /**
   * -R: standby.signal and primary_conninfo (password included) in postgresql.auto.conf.
   * Default true; false when the caller's own postgresql.conf names the primary (with a passfile).
   */
  writeRecoveryConf?: boolean;
}

/**
 * pg_basebackup -R -X stream --slot: a replica data directory with
 * standby.signal and primary_conninfo/primary_slot_name in postgresql.auto.conf.
 * The password travels in PGPASSWORD, never on the command line; -R then
 * writes it into primary_conninfo (postgresql.auto.conf, 0600 in a 0700 dir),
 * which the replica needs to reconnect.
 */
export function baseBackup(opts: BaseBackupOptions): Promise<ToolResult> {
  makeOwnedDir(opts.dataDir, opts.runAs);
  const conninfo = formatConninfo({
    host: opts.host,
    port: opts.port,
    user: opts.user,
    application_name: opts.applicationName,
  });
  const args = [
    `--pgdata=${opts.dataDir}`,
    `--dbname=${conninfo}`,
    ...(opts.writeRecoveryConf === false ? [] : ['--write-recovery-conf']),
    '--wal-method=stream',
    ...(opts.slot ? [`--slot=${opts.slot}`] : []),
    ...(opts.createSlot ? ['--create-slot'] : []),
    '--checkpoint=fast',
    '--no-password',
    ...(opts.noSync ? ['--no-sync'] : []),
  ];
  return runTool(join(opts.binDir, 'pg_basebackup'), args, {
    runAs: opts.runAs,
    env: { PGPASSWORD: opts.password },
    timeoutMs: opts.timeoutMs ?? 300_000,
  });
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
  opts: { timeoutMs?: number; logFile?: string } = {},
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
    },
  );
}
