import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PostgresNodeSpec } from '../model/spec.js';
import { query } from '../process/sql.js';
import { isInitialized } from './postgres-service.js';
import type { LocalRuntime } from './runtime.js';

// Who is primary now. The config names the members and the *initial* primary; after a failover
// another node is primary, and that is run-time state kept where PostgreSQL keeps it: a node
// with standby.signal in its data directory is a standby, one without it was a primary on the
// timeline its WAL history reaches. Of two nodes without standby.signal, the one on the newer
// timeline is the primary and the other a former primary that must rejoin, never serve.

export interface MemberState {
  node: PostgresNodeSpec;
  initialized: boolean;
  /** standby.signal is in its data directory. */
  standby: boolean;
  /** The newest timeline its pg_wal knows (a promotion writes `0000000N.history` at once). */
  timeline: number;
  running: boolean;
  /** pg_is_in_recovery() of a running node; undefined when it does not answer. */
  inRecovery?: boolean;
}

/** The newest timeline in a data directory: the highest `*.history` in pg_wal, else 1. */
export function diskTimeline(dataDir: string): number {
  const wal = join(dataDir, 'pg_wal');
  if (!existsSync(wal)) return 1;
  return readdirSync(wal)
    .filter((name) => /^[0-9A-F]{8}\.history$/.test(name))
    .reduce((newest, name) => Math.max(newest, Number.parseInt(name.slice(0, 8), 16)), 1);
}

/** The initial primary and its replicas: the nodes that may take turns as primary. */
export function groupOf(ctx: LocalRuntime, node: PostgresNodeSpec): PostgresNodeSpec[] {
  const primaryId = node.replica?.upstreamId ?? node.id;
  return ctx.spec.postgres.filter((n) => n.id === primaryId || n.replica?.upstreamId === primaryId);
}

export async function memberStates(ctx: LocalRuntime, group: PostgresNodeSpec[]): Promise<MemberState[]> {
  return Promise.all(
    group.map(async (node) => {
      const initialized = isInitialized(node.paths.dataDir);
      const running = ctx.running(node.id) !== undefined;
      const state: MemberState = {
        node,
        initialized,
        standby: initialized && existsSync(join(node.paths.dataDir, 'standby.signal')),
        timeline: initialized ? diskTimeline(node.paths.dataDir) : 0,
        running,
      };
      if (running) {
        const rows = await query<{ r: boolean }>(ctx.superuserConn(node, { connectTimeoutMs: 3_000, queryTimeoutMs: 3_000 }), 'SELECT pg_catalog.pg_is_in_recovery() AS r').catch(() => []);
        if (rows[0]) state.inRecovery = rows[0].r;
      }
      return state;
    }),
  );
}

export interface PrimaryChoice {
  /** The node that is (or is to be started as) the primary; undefined for a group never started. */
  primary?: MemberState;
  /** Nodes that last ran as primary on an older timeline: they rejoin as standbys before they serve. */
  demoted: MemberState[];
}

/**
 * The group's primary: a running node out of recovery, else the node without standby.signal on
 * the newest timeline. Several running primaries (made outside pgsynth) keep the newest
 * timeline; the others are reported as demoted, to be stopped and rejoined.
 */
export function choosePrimary(states: MemberState[]): PrimaryChoice {
  const byTimeline = (a: MemberState, b: MemberState) => b.timeline - a.timeline;
  const running = states.filter((s) => s.running && s.inRecovery === false).sort(byTimeline);
  const candidates = running.length > 0 ? running : states.filter((s) => s.initialized && !s.standby).sort(byTimeline);
  const [primary] = candidates;
  if (!primary) return { demoted: [] };
  if (candidates[1] && candidates[1].timeline === primary.timeline && !primary.running) {
    throw new Error(
      `${candidates.map((c) => c.node.id).join(' and ')} both ran as primary on timeline ${primary.timeline}: pgsynth cannot tell which holds the newer writes. Start the right one with 'synth promote <node>' after inspecting both.`,
    );
  }
  const demoted = states.filter((s) => s !== primary && s.initialized && (!s.standby || (s.running && s.inRecovery === false)));
  return { primary, demoted };
}

/** The running primary of a node's group, or undefined when none runs. */
export async function runningPrimary(ctx: LocalRuntime, node: PostgresNodeSpec): Promise<PostgresNodeSpec | undefined> {
  const { primary } = choosePrimary(await memberStates(ctx, groupOf(ctx, node)));
  return primary?.running ? primary.node : undefined;
}
