import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PostgresNodeSpec } from '../model/spec.js';
import { LocalRunError } from '../process/errors.js';
import { runTool } from '../process/run-as.js';
import { query } from '../process/sql.js';
import { waitFor } from '../process/wait.js';
import { showPoolNodes } from '../process/pgpool.js';
import { plannedPromotionFile } from '../render/pgpool/index.js';
import { detachEverywhere, pgpoolConn, reattachRunningBackends, waitPgpoolReady } from './pgpool-service.js';
import { setNodeInHaproxies } from './haproxy-service.js';
import { moveAside } from './postgres-service.js';
import { divergence, dropStaleSlots, ensurePrimarySlots, rewindDivergedStandby } from './rejoin.js';
import type { LocalRuntime } from './runtime.js';
import { choosePrimary, groupOf, memberStates, type MemberState } from './topology.js';
import { followPrimary, startOneService, stopOneService } from './up.js';

// The hand-driven changes of primary under `synth up`: promote (the primary is lost or must go),
// switchover (planned: no acknowledged write lost, the old primary follows), rejoin (a node back
// as a standby of the primary). Automatic failover is Pgpool's failover.sh; these share its
// rules: one primary at a time, the old one stopped before another is promoted, never deleted.

function stateOf(states: MemberState[], id: string): MemberState {
  const state = states.find((s) => s.node.id === id);
  if (!state) throw new LocalRunError('NOT_A_MEMBER', `${id} is not a PostgreSQL node of this cluster`, { fix: 'Name a node from synth status.' });
  return state;
}

async function groupStates(ctx: LocalRuntime, id: string): Promise<MemberState[]> {
  ctx.refresh();
  return memberStates(ctx, groupOf(ctx, ctx.node(id)));
}

/** pg_promote on a running standby, then the slots its standbys stream through (a synchronous commit waits for one). */
async function promoteRunning(ctx: LocalRuntime, node: PostgresNodeSpec): Promise<void> {
  await ctx.progress.step(`promote ${node.id}`, async () => {
    const [row] = await query<{ promoted: boolean }>(ctx.superuserConn(node, { queryTimeoutMs: 70_000 }), 'SELECT pg_catalog.pg_promote(true, 60) AS promoted');
    if (!row?.promoted) throw new LocalRunError('PROMOTE_FAILED', `${node.id} did not finish its promotion within 60 s`, { fix: `Read ${node.paths.logFile}.` });
    await ensurePrimarySlots(ctx, node);
  });
  wakeOtherStandbys(ctx, node);
}

/**
 * A standby that lost its primary tries its peers again only every wal_retrieve_retry_interval,
 * while a synchronous commit on the new primary waits for it. SIGHUP wakes its startup process
 * at once (PostgreSQL's startup process sets its recovery latch on SIGHUP), so it finds the new
 * primary now: measured, the write gap of a switchover fell by up to that interval.
 */
function wakeOtherStandbys(ctx: LocalRuntime, promoted: PostgresNodeSpec): void {
  for (const peer of groupOf(ctx, promoted).filter((n) => n !== promoted)) {
    const pid = ctx.running(peer.id)?.pid;
    if (pid === undefined) continue;
    try {
      process.kill(pid, 'SIGHUP');
    } catch {
      // Gone meanwhile: it finds the primary when it starts.
    }
  }
}

/**
 * Runs `work` (which stops the primary and promotes `target`) with `target` named in every running
 * Pgpool's planned-promotion file. Pgpool detaches the primary as it shuts down and runs
 * failover.sh, which would otherwise promote the standby it prefers beside `target`: two primaries.
 */
async function asPlannedPromotion<T>(ctx: LocalRuntime, target: PostgresNodeSpec, work: () => Promise<T>): Promise<T> {
  const files = ctx.spec.pgpools.filter((p) => p.failover === 'automatic' && ctx.running(p.id)).map(plannedPromotionFile);
  // With synth's pid: failover.sh ignores the file once this process is gone (a crash leaves it).
  for (const file of files) writeFileSync(file, `${target.id} ${process.pid}\n`, { mode: 0o644 });
  try {
    return await work();
  } finally {
    for (const file of files) rmSync(file, { force: true });
  }
}

/** Pgpool-II learns of the change: the old primary detached (its failover.sh finds the new one already promoted). */
async function tellPgpools(ctx: LocalRuntime, oldPrimary: PostgresNodeSpec | undefined): Promise<void> {
  if (oldPrimary) await detachEverywhere(ctx, oldPrimary.id);
  for (const pool of ctx.spec.pgpools.filter((p) => ctx.running(p.id))) {
    await ctx.progress.step(`${pool.id} routes writes to the new primary`, () =>
      waitFor(
        async () => {
          const nodes = await showPoolNodes(pgpoolConn(ctx, pool)).catch(() => []);
          const primary = nodes.find((n) => n.role === 'primary' && n.status !== 'down');
          return primary && pool.backends[primary.nodeId]?.nodeId !== oldPrimary?.id ? true : undefined;
        },
        { what: `${pool.id} to find the new primary`, timeoutMs: 30_000, intervalMs: 100, logFile: pool.paths.logFile },
      ),
    );
  }
}

/**
 * `synth promote <node>`: the standby becomes the primary. A primary still running is stopped
 * first (fencing: two primaries never take writes); it comes back with `synth rejoin` or
 * `synth up`, as a standby. Writes the old primary acknowledged but this standby never received
 * are lost: prefer `switchover` while the primary runs.
 */
export async function promoteNode(ctx: LocalRuntime, id: string): Promise<void> {
  const states = await groupStates(ctx, id);
  const target = stateOf(states, id);
  if (!target.running || target.inRecovery !== true) {
    const what = !target.running ? 'is not running' : 'is the primary already';
    throw new LocalRunError('NOT_A_RUNNING_STANDBY', `${id} ${what}: only a running standby can be promoted`, { fix: 'synth status shows which nodes run as standbys.' });
  }
  const { primary } = choosePrimary(states);
  const old = primary && primary.node !== target.node ? primary.node : undefined;
  await asPlannedPromotion(ctx, target.node, async () => {
    if (old && ctx.running(old.id)) {
      ctx.progress.note(`${old.id} is the primary and still runs: stopping it first, so it takes no write after ${id} is promoted`);
      await stopOneService(ctx, old.id);
    }
    await promoteRunning(ctx, target.node);
    await tellPgpools(ctx, old);
  });
}

/** The LSN of a stopped node's last checkpoint (its shutdown checkpoint after a clean stop). */
async function lastCheckpointLsn(ctx: LocalRuntime, node: PostgresNodeSpec): Promise<string> {
  const { stdout } = await runTool(join(ctx.toolchain.postgres.binDir, 'pg_controldata'), [node.paths.dataDir], { runAs: ctx.runAs, env: { LC_ALL: 'C' } });
  const lsn = /^Latest checkpoint location:\s*(\S+)/m.exec(stdout)?.[1];
  if (!lsn) throw new Error(`pg_controldata of ${node.id} names no checkpoint location`);
  return lsn;
}

/**
 * `synth switchover --to <node>`: a planned change of primary with no acknowledged write lost.
 * The primary stops cleanly (its WAL, shutdown checkpoint included, reaches the standbys), the
 * target is promoted once it has received all of it, and the old primary rejoins as its standby.
 */
export async function switchover(ctx: LocalRuntime, targetId: string): Promise<void> {
  const states = await groupStates(ctx, targetId);
  const target = stateOf(states, targetId);
  const { primary } = choosePrimary(states);
  if (!primary?.running || primary.node === target.node) {
    throw new LocalRunError('NO_SWITCHOVER', primary?.node === target.node ? `${targetId} is the primary already` : 'no primary runs: use synth promote', {
      fix: 'synth status shows the primary and the standbys.',
    });
  }
  if (!target.running || target.inRecovery !== true) {
    throw new LocalRunError('NOT_A_RUNNING_STANDBY', `${targetId} is not a running standby`, { fix: `Start it first (synth up), then switch over.` });
  }
  const old = primary.node;
  await asPlannedPromotion(ctx, target.node, async () => {
    await stopOneService(ctx, old.id);
    const finalLsn = await lastCheckpointLsn(ctx, old);
    await ctx.progress.step(`${targetId} has all of ${old.id}'s WAL (up to ${finalLsn})`, () =>
      waitFor(
        async () => {
          const [row] = await query<{ caught_up: boolean }>(
            ctx.superuserConn(target.node),
            'SELECT pg_catalog.pg_last_wal_receive_lsn() >= $1::pg_lsn AS caught_up',
            [finalLsn],
          );
          return row?.caught_up ? true : undefined;
        },
        { what: `${targetId} to receive ${old.id}'s last WAL`, timeoutMs: 15_000, intervalMs: 20, logFile: target.node.paths.logFile },
      ).catch(async (error: unknown) => {
        // Not promoted: the old primary starts again as it was, and nothing is lost.
        await startOneService(ctx, old.id);
        throw error;
      }),
    );
    await promoteRunning(ctx, target.node);
    await tellPgpools(ctx, old);
  });
  await rejoinNode(ctx, old.id);
}

/**
 * `synth rejoin <node>`: a stopped (or diverged) node back as a standby of the primary that runs:
 * rewound when it ran ahead of the primary's timeline, or with `reclone`, its data directory
 * moved aside and cloned again.
 */
export async function rejoinNode(ctx: LocalRuntime, id: string, options: { reclone?: boolean } = {}): Promise<void> {
  const states = await groupStates(ctx, id);
  const node = stateOf(states, id).node;
  const { primary } = choosePrimary(states.filter((s) => s.node !== node));
  if (!primary?.running) {
    throw new LocalRunError('PRIMARY_NOT_RUNNING', `${id} can only rejoin a running primary; none runs`, { fix: 'Start the primary (synth up) or promote a standby (synth promote <node>).' });
  }
  if (ctx.running(id)) await stopOneService(ctx, id);
  if (options.reclone) moveAside(ctx, node);
  // A primary promoted outside synth (pg_promote by hand) lacks the slots its standbys stream through.
  await ensurePrimarySlots(ctx, primary.node);
  await followPrimary(ctx, node, primary.node).catch(async (error: unknown) => {
    // A standby that replayed past the fork (another, behind it, was promoted) is rewound too.
    const evidence = divergence(node);
    if (!evidence) throw error;
    await rewindDivergedStandby(ctx, node, primary.node, evidence);
    await followPrimary(ctx, node, primary.node);
  });
  await setNodeInHaproxies(ctx, id, 'ready');
  // Slots it kept from a time as primary (a fresh clone has none): a standby drops them.
  await dropStaleSlots(ctx, node);
  for (const pool of ctx.spec.pgpools.filter((p) => ctx.running(p.id) && p.backends.some((b) => b.nodeId === id))) {
    await ctx.progress.step(`${pool.id}: attach ${id}`, () => reattachRunningBackends(ctx, pool, new Set([id])));
    await waitPgpoolReady(ctx, pool);
  }
}
