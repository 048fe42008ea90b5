import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { livingGroupMembers, readProcStat } from '../process/proc-stat.js';
import { isAlive, type ServerProcess } from '../process/processes.js';

// What `synth up` started, so `synth down` and `synth status` in another process find it.

export type ServiceKind = 'primary' | 'replica' | 'pgpool' | 'haproxy';

/** A started server (its pid, /proc start time, pid and log files) as the state file keeps it. */
export interface ServiceRecord extends Omit<ServerProcess, 'name'> {
  id: string;
  kind: ServiceKind;
  /** Every port it listens on, the client port first. */
  ports: number[];
  startedAt: string;
}

export interface LocalState {
  cluster: string;
  localDir: string;
  services: ServiceRecord[];
}

export function readState(file: string): LocalState | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as LocalState;
    return Array.isArray(parsed.services) ? parsed : undefined;
  } catch {
    return undefined; // A torn or hand-edited file: treat as no record; pid files remain.
  }
}

/** Written to a temporary file and renamed, so a crash leaves the old state or the new one. */
export function writeState(file: string, state: LocalState): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

export function removeState(file: string): void {
  rmSync(file, { force: true });
}

/** The leader runs, or workers of its process group outlived it. */
export function isServiceRunning(record: ServiceRecord): boolean {
  const stat = readProcStat(record.pid);
  // The pid now names another process: ours and its group are gone.
  if (stat && record.startTime !== undefined && stat.startTime !== record.startTime) return false;
  return isAlive(record.pid, record.startTime) || livingGroupMembers(record.pid).length > 0;
}

/** Stop order: clients of a service go before it. */
export const STOP_ORDER: readonly ServiceKind[] = ['haproxy', 'pgpool', 'replica', 'primary'];
