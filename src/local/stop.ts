import { rmSync } from 'node:fs';
import { stopProcess } from '../process/processes.js';
import type { ServiceKind, ServiceRecord } from './state.js';
import { STOP_ORDER } from './state.js';

// Stopping by PID, the way each server shuts down cleanly: PostgreSQL and Pgpool-II on SIGINT
// (fast shutdown: sessions end, PostgreSQL writes its checkpoint), HAProxy on SIGTERM.

const SIGNALS: Record<ServiceKind, { signal: NodeJS.Signals; timeoutMs: number }> = {
  primary: { signal: 'SIGINT', timeoutMs: 30_000 },
  replica: { signal: 'SIGINT', timeoutMs: 30_000 },
  pgpool: { signal: 'SIGINT', timeoutMs: 15_000 },
  haproxy: { signal: 'SIGTERM', timeoutMs: 5_000 },
};

/** Stops one service and its process group (escalating to SIGKILL after its time limit); removes our pid file. */
export async function stopService(record: ServiceRecord): Promise<{ wasRunning: boolean; killed: boolean }> {
  const { signal, timeoutMs } = SIGNALS[record.kind];
  const result = await stopProcess(record.pid, { signal, timeoutMs, ...(record.startTime === undefined ? {} : { startTime: record.startTime }) });
  rmSync(record.pidFile, { force: true });
  return result;
}

/** HAProxy, Pgpool-II, replicas, then primaries: each after the services that connect to it. */
export function inStopOrder(records: readonly ServiceRecord[]): ServiceRecord[] {
  return [...records].sort((a, b) => STOP_ORDER.indexOf(a.kind) - STOP_ORDER.indexOf(b.kind));
}
