/**
 * initdb and pg_basebackup run directly, for the process-toolkit tests that build a primary and a
 * replica without synth up (which runs the rendered initdb.sh and clone.sh instead).
 */
import { join } from 'node:path';
import { formatConninfo } from '../../src/conninfo.js';
import { makeOwnedDir } from '../../src/process/files.js';
import { runTool, type RunAs, type ToolResult } from '../../src/process/run-as.js';

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
