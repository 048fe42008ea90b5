import { join } from 'node:path';
import { findPgpool } from '../process/binaries.js';
import { runTool } from '../process/run-as.js';
import { sessionCeilings, type SessionCeiling } from '../model/ceilings.js';
import type { ClusterSpec } from '../model/spec.js';
import { query } from '../process/sql.js';
import { PROBE_TIMEOUTS, superuserConn } from './superuser-conn.js';
import { pgpoolFiles } from './config-files.js';
import { haproxyBackendNames } from '../render/haproxy/index.js';
import { fetchStats, statsAccess } from './haproxy-stats.js';
import { backendServers } from '../process/haproxy.js';

// `synth status`: the client sessions each service holds against its ceiling (src/model/ceilings.ts).


const of = (ceiling: SessionCeiling | undefined, used: number) => `${used}/${ceiling?.sessions ?? '?'}`;

/** Client sessions of a PostgreSQL node: every client backend, Pgpool's pooled ones included, this query's not. */
async function postgresInUse(spec: ClusterSpec, id: string): Promise<number> {
  const node = spec.postgres.find((n) => n.id === id)!;
  const [row] = await query<{ n: number }>(superuserConn(spec, node, PROBE_TIMEOUTS), "SELECT count(*)::int AS n FROM pg_catalog.pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_catalog.pg_backend_pid()");
  return row?.n ?? 0;
}

/**
 * Pgpool children serving a client, asked over PCP: PCP has its own process, so it answers even
 * when every child is busy (a query through Pgpool would wait in its listen queue).
 */
async function pgpoolInUse(spec: ClusterSpec, id: string): Promise<number> {
  const pool = spec.pgpools.find((p) => p.id === id)!;
  const { stdout } = await runTool(
    join(findPgpool().binDir, 'pcp_proc_info'),
    ['-h', '127.0.0.1', '-p', String(pool.pcp.port), '-U', pool.pcp.user.name, '-w', '--verbose'],
    { env: { PCPPASSFILE: pgpoolFiles(pool.paths.configDir).pcpPass }, timeoutMs: PROBE_TIMEOUTS.queryTimeoutMs },
  );
  // One block per child and backend slot: "PID : 123" and "Status : Wait for connection" (no client) or another state.
  const busy = new Set<string>();
  for (const block of stdout.split(/\n\s*\n/)) {
    const pid = /^PID\s*:\s*(\d+)/m.exec(block)?.[1];
    const status = /^Status\s*:\s*(.+)$/m.exec(block)?.[1]?.trim();
    if (pid && status && status !== 'Wait for connection') busy.add(pid);
  }
  return busy.size;
}

/** HAProxy: sessions its servers hold per backend (frontends sharing one are counted together), and clients in its queues. */
async function haproxyInUse(spec: ClusterSpec, id: string, password: string, ceilings: SessionCeiling[]): Promise<string> {
  const proxy = spec.haproxies.find((h) => h.id === id)!;
  const access = statsAccess(proxy, password);
  if (!access) return 'no stats page';
  const rows = await fetchStats(access);
  const frontendsOf = new Map<string, string[]>();
  const names = haproxyBackendNames(proxy);
  for (const [frontend, backend] of [['rw', names.rw], ['ro', names.ro]] as const) {
    if (backend !== null) frontendsOf.set(backend, [...(frontendsOf.get(backend) ?? []), frontend]);
  }
  let queued = 0;
  const parts: string[] = [];
  for (const [backend, frontends] of frontendsOf) {
    const served = backendServers(rows, backend).reduce((sum, r) => sum + Number(r.fields.scur ?? 0), 0);
    queued += Number(rows.find((r) => r.proxy === backend && r.server === 'BACKEND')?.fields.qcur ?? 0);
    parts.push(`${frontends.join('+')} ${of(ceilings.find((c) => c.id === id && c.entry === `haproxy ${frontends[0]}`), served)}`);
  }
  return `${parts.join(', ')}, ${queued} queued`;
}

/**
 * Sessions in use against the ceiling, by service id (running services only): `5/97` for a
 * node, `3/32` for Pgpool, `rw+ro 32/32, 5 queued` for HAProxy over Pgpool.
 */
export async function sessionUsage(spec: ClusterSpec, running: (id: string) => boolean, secrets: Record<string, string>): Promise<Map<string, string>> {
  const ceilings = sessionCeilings(spec);
  const usage = new Map<string, string>();
  const attempt = async (id: string, fn: () => Promise<string>) => {
    if (!running(id)) return;
    usage.set(id, await fn().catch(() => '?'));
  };
  for (const n of spec.postgres) await attempt(n.id, async () => of(ceilings.find((c) => c.id === n.id), await postgresInUse(spec, n.id)));
  for (const p of spec.pgpools) await attempt(p.id, async () => of(ceilings.find((c) => c.id === p.id), await pgpoolInUse(spec, p.id)));
  for (const h of spec.haproxies) await attempt(h.id, () => haproxyInUse(spec, h.id, h.stats ? (secrets[h.stats.user.passwordEnv] ?? '') : '', ceilings));
  return usage;
}
