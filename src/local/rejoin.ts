import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PostgresNodeSpec } from '../model/spec.js';
import { LocalRunError } from '../process/errors.js';
import { writeOwnedFile } from '../process/files.js';
import { runTool } from '../process/run-as.js';
import { query } from '../process/sql.js';
import { renderRewindScript } from '../render/postgres/rewind-script.js';
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
    const fix = `Run 'synth rejoin ${node.id} --reclone': it moves ${node.paths.dataDir} aside (nothing is deleted) and clones ${primary.id} again.`;
    try {
      await runTool('bash', [script], { runAs: ctx.runAs, env: postgresBinEnv(ctx), timeoutMs: 600_000 });
    } catch (error) {
      const detail = error instanceof LocalRunError && error.logTail ? error.logTail : error instanceof Error ? error.message : String(error);
      throw new LocalRunError('REWIND_FAILED', `pg_rewind could not bring ${node.id} onto ${primary.id}'s timeline: ${detail}`, { fix });
    }
    // The script leaves a node no peer replaced as it is: that one must not start beside the primary.
    if (!existsSync(join(node.paths.dataDir, 'standby.signal'))) {
      throw new LocalRunError('REWIND_FAILED', `${node.id} is not behind ${primary.id} on an older timeline, so it was not rewound`, { fix });
    }
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
