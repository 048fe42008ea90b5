import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { formatConninfo } from '../conninfo.js';
import type { PostgresNodeSpec } from '../model/spec.js';
import { LocalRunError } from '../process/errors.js';
import { writeOwnedFile } from '../process/files.js';
import { tailFile } from '../process/log-tail.js';
import { runTool } from '../process/run-as.js';
import { query } from '../process/sql.js';
import { REWIND_DONE, rewindArchiveArgs } from '../render/postgres/fencing-shell.js';
import { renderRewindScript } from '../render/postgres/rewind-script.js';
import { postgresConfigFile } from './config-files.js';
import { postgresBinEnv } from './script-env.js';
import type { LocalRuntime } from './runtime.js';

// A former primary comes back only as a standby of the node promoted in its place: pg_rewind
// winds its data directory back to where the timelines forked (wal_log_hints is on on every
// node) and standby.signal makes it follow. It never serves a write on its old timeline.

/**
 * Rewinds the stopped `node` onto `primary`'s timeline and marks it a standby, by rewind.sh: the
 * entrypoints' fence_former_primary, the compose target's. Nothing is deleted: when pg_rewind
 * cannot do it, the error says how to clone the node again with its directory moved aside.
 */
export async function rejoinAsStandby(ctx: LocalRuntime, node: PostgresNodeSpec, primary: PostgresNodeSpec): Promise<void> {
  if (ctx.running(node.id)) throw new Error(`${node.id} must be stopped before it rejoins`);
  await ctx.progress.step(`rejoin ${node.id} as a standby of ${primary.id} (pg_rewind)`, async () => {
    // pg_rewind reads the source's timeline from its control file, which only a checkpoint after
    // the promotion updates. The script asks for one as the replication role too; the superuser's
    // also works on a 13 or 14 cluster bootstrapped before it had pgsynth.checkpoint().
    await query(ctx.superuserConn(primary, { queryTimeoutMs: 60_000 }), 'CHECKPOINT');
    const script = join(node.paths.configDir, 'rewind.sh');
    writeOwnedFile(script, renderRewindScript(ctx.spec, node), ctx.runAs, 0o755);
    try {
      await runTool('bash', [script], { runAs: ctx.runAs, env: postgresBinEnv(ctx), timeoutMs: 600_000 });
    } catch (error) {
      throw rewindFailed(node, primary, error);
    }
    // The script leaves a node no peer replaced as it is: that one must not start beside the primary.
    if (!existsSync(join(node.paths.dataDir, 'standby.signal'))) {
      throw rewindFailed(node, primary, `${node.id} is not behind ${primary.id} on an older timeline, so it was not rewound`);
    }
  });
}

/** A rewind that did not happen: what pg_rewind said, and the way out that deletes nothing. */
function rewindFailed(node: PostgresNodeSpec, primary: PostgresNodeSpec, cause: unknown): LocalRunError {
  const detail = cause instanceof LocalRunError && cause.logTail ? cause.logTail : cause instanceof Error ? cause.message : String(cause);
  const message = typeof cause === 'string' ? cause : `pg_rewind could not bring ${node.id} onto ${primary.id}'s timeline: ${detail}`;
  return new LocalRunError('REWIND_FAILED', message, {
    fix: `Run 'synth rejoin ${node.id} --reclone': it moves ${node.paths.dataDir} aside (nothing is deleted) and clones ${primary.id} again.`,
  });
}

// What a standby logs when it replayed WAL the primary's timeline lacks (a standby that had
// received less was promoted): running, or at start once it has the new timeline's history.
const DIVERGED = [
  /new timeline \d+ forked off current database system timeline \d+ before current recovery point \S+/,
  /requested timeline \d+ is not a child of this server's history/,
];

/** The line of `node`'s log since its last start saying it cannot follow the primary's timeline, if any. */
export function divergence(node: PostgresNodeSpec): string | undefined {
  const log = tailFile(node.paths.logFile, 400, 65_536);
  const sinceStart = log.slice(log.lastIndexOf(`pgsynth starts ${node.id}:`) + 1);
  for (const pattern of DIVERGED) {
    const found = pattern.exec(sinceStart);
    if (found) return found[0];
  }
  return undefined;
}

/** A standby that cannot follow `primary` as it is, and the way back. */
function divergedError(node: PostgresNodeSpec, primary: PostgresNodeSpec, evidence: string): LocalRunError {
  return new LocalRunError('STANDBY_DIVERGED', `${node.id} cannot follow ${primary.id}: it replayed WAL past the point where ${primary.id}'s timeline forked off (its log: "${evidence}")`, {
    fix: `Run 'synth rejoin ${node.id}': it rewinds ${node.id} onto ${primary.id} with pg_rewind (the writes only ${node.id} had were lost when ${primary.id} was promoted).`,
  });
}

/** `error` (a standby's start or wait failing) as STANDBY_DIVERGED when the standby's log says it diverged. */
export function explainDivergence(error: unknown, node: PostgresNodeSpec, primary: PostgresNodeSpec): unknown {
  const evidence = divergence(node);
  return evidence ? divergedError(node, primary, evidence) : error;
}

/**
 * Rewinds a stopped standby that replayed past the point where the primary's timeline forked off
 * (`synth promote` of a standby that had received less): pg_rewind winds it back to the fork, as
 * for a former primary, and it follows again. The writes only it had were lost with that
 * promotion; pg_rewind needs it cleanly stopped, which a standby synth stops is.
 */
export async function rewindDivergedStandby(ctx: LocalRuntime, node: PostgresNodeSpec, primary: PostgresNodeSpec, evidence: string): Promise<void> {
  await ctx.progress.step(`rewind ${node.id} onto ${primary.id}'s timeline (pg_rewind: it logged "${evidence}")`, async () => {
    const source = ctx.superuserConn(primary, { queryTimeoutMs: 60_000 });
    await query(source, 'CHECKPOINT'); // pg_rewind reads the source's timeline from its control file
    try {
      await runTool(
        join(ctx.toolchain.postgres.binDir, 'pg_rewind'),
        [
          ...rewindArchiveArgs(ctx.spec, postgresConfigFile(node.paths.configDir)),
          `--target-pgdata=${node.paths.dataDir}`,
          `--source-server=${formatConninfo({ host: source.host, port: source.port, user: source.user, dbname: 'postgres' })}`,
        ],
        { runAs: ctx.runAs, timeoutMs: 600_000 },
      );
    } catch (error) {
      throw rewindFailed(node, primary, error);
    }
    // pg_rewind removed what the source lacks, standby.signal too; the markers rewind.sh leaves.
    for (const marker of ['standby.signal', REWIND_DONE]) writeOwnedFile(join(node.paths.dataDir, marker), '', ctx.runAs, 0o600);
  });
}

/**
 * Slots a standby kept from its time as primary hold WAL back for ever (pg_rewind copies none
 * and removes none): dropped once it runs as a standby. The primary makes its own.
 */
export async function dropStaleSlots(ctx: LocalRuntime, node: PostgresNodeSpec): Promise<void> {
  await query(
    ctx.superuserConn(node),
    `SELECT pg_catalog.pg_drop_replication_slot(slot_name) FROM pg_catalog.pg_replication_slots
      WHERE NOT active AND slot_type = 'physical' AND pg_catalog.pg_is_in_recovery()`,
  );
}

/** The slots `primary` needs for its standbys (every other member's, then the extra ones), made when missing. */
export async function ensurePrimarySlots(ctx: LocalRuntime, primary: PostgresNodeSpec): Promise<void> {
  const slots = primary.member?.slotsWhenPrimary ?? primary.primary?.slots ?? [];
  if (slots.length === 0) return;
  const make = () =>
    query(
      ctx.superuserConn(primary),
      `SELECT count(pg_catalog.pg_create_physical_replication_slot(s, true)) FROM unnest($1::text[]) AS s
        WHERE s NOT IN (SELECT slot_name FROM pg_catalog.pg_replication_slots)`,
      [slots],
    );
  // Pgpool's failover.sh makes the same slots right after a promotion: a slot made between the
  // check and the create (duplicate_object) is there, which is all this wants.
  await make().catch((error: { code?: string }) => (error.code === '42710' ? make() : Promise.reject(error)));
}
