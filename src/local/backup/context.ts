import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Cluster } from '../../model/cluster.js';
import type { BackupSpec, ClusterSpec, PostgresNodeSpec } from '../../model/spec.js';
import { LocalRunError, LocalSetupError } from '../../process/errors.js';
import { resolveRunAs, runTool, type RunAs, type ToolResult } from '../../process/run-as.js';
import { query } from '../../process/sql.js';
import { PROBE_TIMEOUTS, superuserConn } from '../superuser-conn.js';
import { which } from '../../process/which.js';
import { pgbackrestArgs } from '../../render/backup/paths.js';
import { localLayout, type LocalLayout } from '../layout.js';
import { resolveLocalSpec, type LocalSpecOptions } from '../local-spec.js';
import { isServiceRunning, readState } from '../state.js';

// What every backup command of the local target shares: the spec, who runs pgBackRest, where it
// is, and which node is primary now (the failover engine may have promoted a standby).

export interface BackupContext {
  spec: ClusterSpec;
  backup: BackupSpec;
  layout: LocalLayout;
  runAs: RunAs;
  pgbackrest: string;
}

export interface BackupContextOptions extends LocalSpecOptions {
  env?: NodeJS.ProcessEnv;
}

/** Debian's package; the error names it, since every backup command needs the binary. */
export function findPgbackrest(env: NodeJS.ProcessEnv = process.env): string {
  const found = which('pgbackrest', env.PATH ?? '');
  if (found) return found;
  throw new LocalSetupError(
    'PGBACKREST_NOT_FOUND',
    'The cluster has a Backup, but pgbackrest is not on PATH.',
    'Install it: `apt-get install --no-install-recommends pgbackrest` (Debian/Ubuntu; 2.45 supports PostgreSQL up to 15, newer majors need a build from apt.postgresql.org).',
  );
}

/** The newest PostgreSQL major a pgBackRest release supports (release notes: 16 in 2.46, 17 in 2.53). */
export function maxPostgresMajor(version: string): number {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major > 2 || minor >= 53) return 17;
  if (minor >= 46) return 16;
  return 15;
}

/**
 * pgbackrest on PATH and new enough for the cluster's major, checked before anything starts:
 * an older one fails at stanza-create ("unexpected control version").
 */
export function checkPgbackrest(spec: ClusterSpec, env: NodeJS.ProcessEnv = process.env): string {
  const bin = findPgbackrest(env);
  const out = spawnSync(bin, ['version'], { encoding: 'utf8' }).stdout ?? '';
  const version = /pgBackRest (\d+\.\d+)/.exec(out)?.[1];
  if (version && spec.postgresVersion > maxPostgresMajor(version)) {
    throw new LocalSetupError(
      'PGBACKREST_TOO_OLD',
      `pgBackRest ${version} supports PostgreSQL up to ${maxPostgresMajor(version)}, but the cluster runs PostgreSQL ${spec.postgresVersion}.`,
      `Install a newer pgbackrest (apt.postgresql.org ships current releases), or set postgresVersion: ${maxPostgresMajor(version)} on the Cluster.`,
    );
  }
  return bin;
}

export function backupContext(cluster: Cluster, options: BackupContextOptions = {}): BackupContext {
  const spec = resolveLocalSpec(cluster, options);
  return contextForSpec(spec, options.env);
}

export function contextForSpec(spec: ClusterSpec, env: NodeJS.ProcessEnv = process.env): BackupContext {
  if (!spec.backup) {
    const error = new LocalSetupError(
      'NO_BACKUP',
      `Cluster ${spec.id} has no Backup construct, so there is nothing to back up or restore.`,
      "Add `new Backup(cluster, 'backup', {})` to cluster.config.ts (import { Backup } from 'pgsynth') and run synth up.",
    );
    // The command does not apply to this config: a usage error, not the cluster failing.
    throw Object.assign(error, { exitCode: 2 });
  }
  return { spec, backup: spec.backup, layout: localLayout(spec), runAs: resolveRunAs(), pgbackrest: findPgbackrest(env) };
}

/** Runs pgBackRest as the servers' user with the node's configuration. */
export function runPgbackrest(ctx: BackupContext, node: PostgresNodeSpec, args: string[], timeoutMs = 30 * 60_000): Promise<ToolResult> {
  return runTool(ctx.pgbackrest, [...pgbackrestArgs(ctx.backup, node), ...args], { runAs: ctx.runAs, timeoutMs });
}

/** The running node that answers pg_is_in_recovery() = false: the primary now, whatever the spec started as. */
export async function currentPrimary(ctx: BackupContext): Promise<PostgresNodeSpec> {
  const records = readState(ctx.layout.stateFile)?.services ?? [];
  const running = ctx.spec.postgres.filter((n) => records.some((r) => r.id === n.id && isServiceRunning(r)));
  const primaries: PostgresNodeSpec[] = [];
  for (const node of running) {
    try {
      const [row] = await query<{ standby: boolean }>(
        superuserConn(ctx.spec, node, PROBE_TIMEOUTS),
        'SELECT pg_catalog.pg_is_in_recovery() AS standby',
      );
      if (row && !row.standby) primaries.push(node);
    } catch {
      // Not answering: it cannot be the node to back up.
    }
  }
  if (primaries.length === 1) return primaries[0]!;
  if (primaries.length === 0) {
    const where = existsSync(ctx.layout.root) ? `none of ${running.map((n) => n.id).join(', ') || 'its nodes'} answers as primary` : `${ctx.layout.root} does not exist`;
    throw new LocalRunError('NO_PRIMARY', `Cluster ${ctx.spec.id} has no running primary: ${where}.`, { fix: 'Start the cluster with synth up (or promote a standby), then run the command again.' });
  }
  throw new LocalRunError('TWO_PRIMARIES', `Cluster ${ctx.spec.id} has ${primaries.length} nodes answering as primary (${primaries.map((n) => n.id).join(', ')}): a split brain; backing up either could push a conflicting timeline.`, {
    fix: 'Stop the former primary (synth status shows both) and run the command again.',
  });
}
