/**
 * Reads /proc/PID/stat. A process that exited but was not yet reaped (a
 * zombie, state Z) still answers `kill -0`; its state here tells the truth.
 */
import { readFileSync, readdirSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  comm: string;
  /** R running, S sleeping, D disk, Z zombie, X dead, T stopped, … */
  state: string;
  ppid: number;
  pgrp: number;
  /** Clock ticks after boot; with the pid it identifies one process (pids are reused). */
  startTime: number;
}

/** Parses one /proc/PID/stat line. comm may hold spaces and parentheses, so split at the last ")". */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const fields = text.slice(close + 2).trim().split(/\s+/);
  // fields[0] is field 3 of proc(5): state; ppid 4, pgrp 5, starttime 22.
  const [state, ppid, pgrp] = fields;
  const startTime = fields[19];
  if (!state || !ppid || !pgrp || !startTime) return undefined;
  return {
    pid: Number(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    state,
    ppid: Number(ppid),
    pgrp: Number(pgrp),
    startTime: Number(startTime),
  };
}

export function readProcStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

export function isZombieOrDead(stat: ProcStat): boolean {
  return stat.state === 'Z' || stat.state === 'X' || stat.state === 'x';
}

/** Pids of the living (non-zombie) processes in process group `pgid`. */
export function livingGroupMembers(pgid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcStat(Number(entry));
    if (stat && stat.pgrp === pgid && !isZombieOrDead(stat)) members.push(stat.pid);
  }
  return members;
}
