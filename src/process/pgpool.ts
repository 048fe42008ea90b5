/**
 * Pgpool-II under our process manager: foreground (-n) so its pid is ours,
 * and -D so a pgpool_status left by an earlier run cannot keep a node down.
 */
import { startListeningServer, type ListeningServerOptions, type ServerProcess } from './processes.js';
import { query, type PgConn } from './sql.js';
import { canConnect, waitFor } from './wait.js';

/** The ready wait defaults to 30000 ms. */
export interface StartPgpoolOptions extends ListeningServerOptions {
  /** Path of the pgpool executable (findPgpool().bin); default "pgpool" on PATH. */
  bin?: string;
  configFile: string;
  pcpFile: string;
  hbaFile: string;
  /** pool_key for AES entries in pool_passwd (-k). */
  keyFile?: string;
  /** Keep pgpool_status from an earlier run (omits -D). Default false. */
  keepNodeStatus?: boolean;
}

export function startPgpool(opts: StartPgpoolOptions): Promise<ServerProcess> {
  const args = [
    '-n',
    '-f', opts.configFile,
    '-F', opts.pcpFile,
    '-a', opts.hbaFile,
    ...(opts.keyFile ? ['-k', opts.keyFile] : []),
    ...(opts.keepNodeStatus ? [] : ['-D']),
  ];
  return startListeningServer({ name: 'pgpool', bin: opts.bin ?? 'pgpool', args }, opts, 30_000);
}

export interface PoolNode {
  nodeId: number;
  hostname: string;
  port: number;
  /** Pgpool's view: "up", "waiting", "down", "unused". */
  status: string;
  /** What the backend itself answers: "up" or "down". */
  pgStatus: string;
  /** Pgpool's view: "primary", "standby". */
  role: string;
  pgRole: string;
  selectCount: number;
  loadBalanceNode: boolean;
  replicationState: string;
  replicationSyncState: string;
}

/** SHOW pool_nodes through pgpool (columns of Pgpool-II 4.3+). */
export async function showPoolNodes(conn: PgConn): Promise<PoolNode[]> {
  const rows = await query<Record<string, string>>(conn, 'SHOW pool_nodes');
  return rows.map((row) => ({
    nodeId: Number(row.node_id),
    hostname: row.hostname ?? '',
    port: Number(row.port),
    status: row.status ?? '',
    pgStatus: row.pg_status ?? '',
    role: row.role ?? '',
    pgRole: row.pg_role ?? '',
    selectCount: Number(row.select_cnt ?? 0),
    loadBalanceNode: row.load_balance_node === 'true',
    replicationState: row.replication_state ?? '',
    replicationSyncState: row.replication_sync_state ?? '',
  }));
}

/** A backend status (SHOW pool_nodes, pcp_node_info) that serves: "waiting" is shown until a first client uses the node. */
export const isAttachedStatus = (status: string | undefined): boolean => status === 'up' || status === 'waiting';

/** Waits until pgpool serves `expectedNodes` nodes, all up, exactly one primary. */
export async function waitForPoolNodes(
  conn: PgConn,
  expectedNodes: number,
  opts: { timeoutMs?: number; logFile?: string; mustBeUp?: readonly number[] } = {},
): Promise<PoolNode[]> {
  // Every node, unless the caller knows some are stopped and names the ones that run.
  const mustBeUp = opts.mustBeUp ?? [...Array(expectedNodes).keys()];
  return waitFor(
    async () => {
      if (!(await canConnect(conn.host, conn.port))) return undefined;
      const nodes = await showPoolNodes({ ...conn, connectTimeoutMs: conn.connectTimeoutMs ?? 2_000 });
      const isUp = (node: PoolNode | undefined) => isAttachedStatus(node?.status);
      const primaries = nodes.filter((node) => node.role === 'primary' && isUp(node));
      const allUp = mustBeUp.every((id) => isUp(nodes.find((n) => n.nodeId === id)));
      if (nodes.length === expectedNodes && allUp && primaries.length === 1) return nodes;
      // Thrown, so a timeout names the state Pgpool was last seen in, not an older connect error.
      throw new Error(`SHOW pool_nodes: ${nodes.map((n) => `node ${n.nodeId} ${n.status} ${n.role}`).join(', ')}`);
    },
    {
      what: `pgpool on ${conn.host}:${conn.port} to report ${mustBeUp.length === expectedNodes ? `${expectedNodes} nodes` : `nodes ${mustBeUp.join(', ')}`} up with one primary`,
      timeoutMs: opts.timeoutMs ?? 30_000,
      intervalMs: 100,
      logFile: opts.logFile,
    },
  );
}
