/**
 * HAProxy in the foreground (-db) under our process manager, and its CSV
 * stats page, which tells whether each server is UP, DOWN or still unchecked.
 */
import { createConnection } from 'node:net';
import { startListeningServer, type ListeningServerOptions, type ServerProcess } from './processes.js';

/** HAProxy runs fine as root: pass runAs only to drop privileges. The ready wait defaults to 10000 ms. */
export interface StartHaproxyOptions extends ListeningServerOptions {
  /** Path of the haproxy executable (findHaproxy().bin); default "haproxy" on PATH. */
  bin?: string;
  configFile: string;
  /** Added to its environment: `"${VAR}"` in haproxy.cfg (e.g. the stats password) reads from here. */
  env?: Record<string, string>;
}

export function startHaproxy(opts: StartHaproxyOptions): Promise<ServerProcess> {
  return startListeningServer({ name: 'haproxy', bin: opts.bin ?? 'haproxy', args: ['-db', '-f', opts.configFile], env: opts.env }, opts, 10_000);
}

export interface HaproxyStatsRow {
  /** pxname: frontend, backend or listen section. */
  proxy: string;
  /** svname: a server name, or FRONTEND / BACKEND for the section's own row. */
  server: string;
  /** "UP", "DOWN", "OPEN", "no check", "MAINT", or a transition such as "UP 1/3" / "DOWN 1/2". */
  status: string;
  /** Result of the last check, e.g. "L7OK", "L4CON", "INI" before the first. */
  checkStatus: string;
  /** Every column by its CSV name. */
  fields: Record<string, string>;
}

/** Parses HAProxy's CSV stats ("# pxname,svname,…" header, one row per proxy/server). */
export function parseHaproxyCsv(csv: string): HaproxyStatsRow[] {
  const [header, ...lines] = csv.split('\n').filter((line) => line.trim() !== '');
  if (!header?.startsWith('# ')) throw new Error('Not HAProxy CSV stats: the "# pxname,svname,…" header is missing.');
  const columns = header.slice(2).split(',');
  return lines.map((line) => {
    const values = line.split(',');
    const fields = Object.fromEntries(columns.map((column, i) => [column, values[i] ?? '']));
    return {
      proxy: fields.pxname ?? '',
      server: fields.svname ?? '',
      status: fields.status ?? '',
      checkStatus: fields.check_status ?? '',
      fields,
    };
  });
}

/** Fetches `<statsUrl>;csv` (statsUrl is the page of `stats uri`, e.g. http://127.0.0.1:8404/stats). */
export async function haproxyStats(statsUrl: string, timeoutMs = 3_000): Promise<HaproxyStatsRow[]> {
  const response = await fetch(`${statsUrl};csv;norefresh`, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`HAProxy stats ${statsUrl} answered HTTP ${response.status}.`);
  return parseHaproxyCsv(await response.text());
}

/** The server rows of one backend (without its BACKEND summary row). */
export function backendServers(rows: readonly HaproxyStatsRow[], backend: string): HaproxyStatsRow[] {
  return rows.filter((row) => row.proxy === backend && row.server !== 'BACKEND' && row.server !== 'FRONTEND');
}

/**
 * One command to HAProxy's runtime API (`stats socket … level admin`), e.g. `set server b/s state
 * maint`; resolves with its answer, which is empty when the command succeeded.
 */
export function haproxyCommand(socketPath: string, command: string, timeoutMs = 3_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    let answer = '';
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`HAProxy runtime API ${socketPath}: no answer to '${command}' in ${timeoutMs} ms`)));
    socket.on('connect', () => socket.end(`${command}\n`));
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer.trim()));
  });
}
