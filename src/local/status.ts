import type { Cluster } from '../model/cluster.js';
import type { ClusterSpec, PostgresNodeSpec } from '../model/spec.js';
import { isAttachedStatus, showPoolNodes } from '../process/pgpool.js';
import { query } from '../process/sql.js';
import { backupStatusLine, contextForSpec } from './backup/index.js';

import { localLayout } from './layout.js';
import { resolveLocalSpec, type LocalSpecOptions } from './local-spec.js';
import { loadLocalSecrets } from './secrets.js';
import { isServiceRunning, readState, type ServiceKind } from './state.js';
import { sessionUsage } from './session-usage.js';
import { appRoleFor } from './urls.js';
import { PROBE_TIMEOUTS, superuserConn } from './superuser-conn.js';

export interface ServiceStatus {
  id: string;
  kind: ServiceKind;
  /** null when stopped. */
  pid: number | null;
  /** The client port. */
  port: number;
  /** PostgreSQL: 'primary' or 'standby' as it runs now (pg_is_in_recovery), '?' when it does not answer, '-' when stopped; else the kind. */
  role: string;
  /** Replication state and lag of a standby, Pgpool's node count, or an error. */
  detail: string;
  /** Client sessions in use against the ceiling (src/local/session-usage.ts), '' when stopped. */
  sessions?: string;
}

export interface LocalStatus {
  cluster: string;
  localDir: string;
  services: ServiceStatus[];
  /** With a Backup: the last backup and how far WAL archiving lags (or why that is unknown). */
  backup?: string;
}

interface ReplicationLag {
  application_name: string;
  state: string;
  sync_state: string;
  replay_lag_ms: number | null;
  bytes_behind: string | null;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

/** pg_stat_replication of a primary: each standby's state and how far behind its replay is. */
async function replicationLag(spec: ClusterSpec, primary: PostgresNodeSpec): Promise<ReplicationLag[]> {
  return query<ReplicationLag>(
    superuserConn(spec, primary, PROBE_TIMEOUTS),
    `SELECT application_name, state, sync_state,
            (extract(epoch FROM replay_lag) * 1000)::float8 AS replay_lag_ms,
            pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), replay_lsn)::text AS bytes_behind
       FROM pg_catalog.pg_stat_replication`,
  );
}

interface NodeFacts {
  standby: boolean;
  timeline: number;
  /** Primary only: sessions waiting for a synchronous standby to confirm their commit. */
  syncWaiters: number;
  oldestWaitSeconds: number | null;
}

/** What a running node says of itself: its role, its timeline, and commits held by synchronous replication. */
async function nodeFacts(spec: ClusterSpec, node: PostgresNodeSpec): Promise<NodeFacts> {
  const [row] = await query<{ standby: boolean; timeline: number; waiters: number; oldest: number | null }>(
    superuserConn(spec, node, PROBE_TIMEOUTS),
    `SELECT pg_catalog.pg_is_in_recovery() AS standby,
            CASE WHEN pg_catalog.pg_is_in_recovery()
                 THEN coalesce((SELECT received_tli FROM pg_catalog.pg_stat_wal_receiver), (pg_catalog.pg_control_checkpoint()).timeline_id)
                 ELSE ('x' || substr(pg_catalog.pg_walfile_name(pg_catalog.pg_current_wal_lsn()), 1, 8))::bit(32)::int END AS timeline,
            (SELECT count(*)::int FROM pg_catalog.pg_stat_activity WHERE wait_event = 'SyncRep') AS waiters,
            (SELECT extract(epoch FROM now() - min(state_change))::float8 FROM pg_catalog.pg_stat_activity WHERE wait_event = 'SyncRep') AS oldest`,
  );
  return { standby: row!.standby, timeline: row!.timeline, syncWaiters: row!.waiters, oldestWaitSeconds: row!.oldest };
}

async function postgresStatus(spec: ClusterSpec, node: PostgresNodeSpec, lags: Map<string, ReplicationLag[] | string>): Promise<{ role: string; detail: string }> {
  let facts: NodeFacts;
  try {
    facts = await nodeFacts(spec, node);
  } catch (error) {
    return { role: '?', detail: `not answering: ${message(error)}` };
  }
  const timeline = `timeline ${facts.timeline}`;
  if (!facts.standby) {
    const waiting = facts.syncWaiters > 0 ? `, ${facts.syncWaiters} commits waiting for a synchronous standby (oldest ${Math.round(facts.oldestWaitSeconds ?? 0)} s)` : '';
    return { role: 'primary', detail: `${timeline}${waiting}` };
  }
  const name = node.member?.applicationName;
  const streams = [...lags.entries()].flatMap(([primaryId, rows]) =>
    typeof rows === 'string' ? [] : rows.filter((r) => r.application_name === name).map((row) => ({ primaryId, row })),
  );
  const found = streams[0];
  if (!found) return { role: 'standby', detail: `${timeline}, not streaming from any running primary` };
  const { row, primaryId } = found;
  const lag = row.replay_lag_ms === null ? '0 ms (idle)' : `${Math.round(row.replay_lag_ms)} ms`;
  const behind = row.bytes_behind === null ? '?' : formatBytes(Number(row.bytes_behind));
  return { role: 'standby', detail: `${row.state} from ${primaryId} (${row.sync_state}), ${behind} behind, replay lag ${lag}, ${timeline}` };
}

/** `synth status`: every service of the cluster, its PID (or stopped), port, role and replication lag. */
export async function localStatus(cluster: Cluster, options: LocalSpecOptions & { env?: NodeJS.ProcessEnv } = {}): Promise<LocalStatus> {
  const spec = resolveLocalSpec(cluster, options);
  const layout = localLayout(spec);
  const records = readState(layout.stateFile)?.services ?? [];
  const pidOf = (id: string) => {
    const record = records.find((r) => r.id === id);
    return record && isServiceRunning(record) ? record.pid : null;
  };

  const lags = new Map<string, ReplicationLag[] | string>();
  // Every running node out of recovery: after a failover the primary is not the initial one.
  for (const node of spec.postgres.filter((n) => pidOf(n.id) !== null)) {
    const rows = await replicationLag(spec, node).catch((error: unknown) => message(error));
    if (typeof rows !== 'string' && rows.length > 0) lags.set(node.id, rows);
  }

  const services: ServiceStatus[] = [];
  for (const node of spec.postgres) {
    const pid = pidOf(node.id);
    const facts = pid === null ? { role: '-', detail: '' } : await postgresStatus(spec, node, lags);
    services.push({ id: node.id, kind: node.role, pid, port: node.port.listenPort, ...facts });
  }
  const secrets = loadLocalSecrets(spec, layout.secretsFile, options.env ?? process.env, { generate: false });
  for (const pool of spec.pgpools) {
    const pid = pidOf(pool.id);
    let detail = '';
    // As a client: pool_hba.conf admits the application role, not Pgpool's check role.
    const { owner, database } = appRoleFor(spec);
    const password = secrets.values[owner.passwordEnv];
    if (pid !== null && password) {
      try {
        const nodes = await showPoolNodes({ host: '127.0.0.1', port: pool.port.listenPort, user: owner.name, password, database, ...PROBE_TIMEOUTS });
        const up = nodes.filter((n) => isAttachedStatus(n.status)).length;
        const down = nodes.filter((n) => n.status === 'down').map((n) => pool.backends[n.nodeId]?.nodeId ?? `node ${n.nodeId}`);
        detail = `${up}/${nodes.length} nodes up${down.length ? ` (down: ${down.join(', ')})` : ''}`;
      } catch (error) {
        detail = `not answering: ${message(error)}`;
      }
    }
    services.push({ id: pool.id, kind: 'pgpool', pid, port: pool.port.listenPort, role: 'pgpool', detail });
  }
  for (const proxy of spec.haproxies) {
    const ports = [`rw ${proxy.readWrite.port.listenPort}`, proxy.readOnly && `ro ${proxy.readOnly.port.listenPort}`, proxy.stats && `stats ${proxy.stats.port.listenPort}`];
    services.push({ id: proxy.id, kind: 'haproxy', pid: pidOf(proxy.id), port: proxy.readWrite.port.listenPort, role: 'haproxy', detail: ports.filter(Boolean).join(', ') });
  }
  const usage = await sessionUsage(spec, (id) => pidOf(id) !== null, secrets.values);
  for (const s of services) s.sessions = usage.get(s.id) ?? '';
  // Backups: self-contained, so the rest of status stays as it is.
  const backup = spec.backup ? await backupStatusLine(contextForSpec(spec, options.env ?? process.env)).catch((error: unknown) => `unknown: ${message(error)}`) : undefined;
  return { cluster: spec.id, localDir: spec.localDir, services, ...(backup === undefined ? {} : { backup }) };
}
