import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import type { Cluster } from '../../model/cluster.js';
import { appRoleFor, downLocal, haproxyStatsUrl, localLayout, localStatus, localUrls, postgresUrl, resolveLocalSpec, upLocal, type LocalRuntime } from '../../local/index.js';
import { serviceIds } from '../../model/services.js';
import { isServiceRunning, readState } from '../../local/state.js';
import { formatSeconds } from '../../local/progress.js';
import type { CliArgs } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { dim, green, plural, printDiagnostics, yellow, type Output } from '../output.js';

// `synth up`, `synth down` and `synth status`: the local runtime behind the command line.

/** A path as the user typed it: relative to the working directory when inside it. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows.map((row) => `  ${row.map((cell, col) => (col === row.length - 1 ? cell : cell.padEnd(widths[col]!))).join('  ')}`.trimEnd());
}

/** Where to connect, and where each password is: never the password itself. With `only`, just those services' rows. */
function printConnections(o: Output, runtime: LocalRuntime, only?: ReadonlySet<string>): void {
  const { spec, secrets } = runtime;
  const urls = localUrls(spec);
  const rows: string[][] = [];
  for (const node of spec.postgres) {
    const role = node.replica ? `standby${node.replica.synchronous ? ' (synchronous)' : ''}` : 'primary';
    rows.push([node.id, role, urls.byId[node.id]!]);
  }
  for (const pool of spec.pgpools) rows.push([pool.id, 'Pgpool-II', urls.byId[pool.id]!]);
  const app = appRoleFor(spec);
  for (const proxy of spec.haproxies) {
    rows.push([proxy.id, 'HAProxy read-write', postgresUrl(app.owner.name, proxy.readWrite.port.listenPort, app.database)]);
    if (proxy.readOnly) rows.push([proxy.id, 'HAProxy read-only', postgresUrl(app.owner.name, proxy.readOnly.port.listenPort, app.database)]);
    if (proxy.stats) rows.push([proxy.id, 'HAProxy stats', `${haproxyStatsUrl(proxy)} (user ${proxy.stats.user.name})`]);
  }
  o.out('');
  o.out('Connect:');
  for (const line of table(only ? rows.filter(([id]) => only.has(id!)) : rows)) o.out(line);
  if (only) return;
  o.out('');
  o.out('Passwords (not printed):');
  for (const { env, purpose } of spec.secrets) {
    const where = secrets.sources[env] === 'environment' ? 'from your environment' : `in ${shown(secrets.file)}`;
    o.out(`  ${env.padEnd(Math.max(...spec.secrets.map((s) => s.env.length)))}  ${where}  ${dim(o, purpose)}`);
  }
  const primary = spec.postgres.find((n) => n.primary)!;
  const appEnv = primary.primary!.owner.passwordEnv;
  const appUrl = urls.haproxyRw ?? urls.pgpool ?? urls.primary;
  o.out('');
  o.out(`  e.g. PGPASSWORD="$(sed -n 's/^${appEnv}=//p' ${shown(secrets.file)})" psql ${appUrl}`);
  // psql takes -h as a socket folder only when it starts with a slash: keep it absolute.
  o.out(`  superuser over the socket (no password): psql -h ${primary.paths.socketDir} -p ${primary.port.listenPort} -U ${spec.roles.superuser.name}`);
  o.out(`Logs: ${shown(spec.localDir)}/<service>/*.log    Stop: synth down (keeps data), synth down --purge (deletes it)`);
}

/** Services that run now, from the state file `up` keeps (no query to any server). */
function runningServices(cluster: Cluster): Set<string> {
  const state = readState(localLayout(resolveLocalSpec(cluster)).stateFile);
  return new Set(state?.services.filter(isServiceRunning).map((s) => s.id) ?? []);
}

async function up(o: Output, cluster: Cluster, args: CliArgs): Promise<ExitCode> {
  const before = runningServices(cluster);
  const result = await upLocal(cluster, { ...(args.pgBin ? { pgBin: args.pgBin } : {}), progress: (line) => o.out(line) });
  printDiagnostics(o, result.warnings);
  const { spec } = result.runtime;
  if (result.alreadyRunning) {
    o.out(yellow(o, `${spec.id} is already running in ${shown(spec.localDir)}: nothing to do.`));
    return ExitCode.ok;
  }
  const restarted = serviceIds(spec).filter((id) => !before.has(id));
  if (before.size === 0 || restarted.length === 0) {
    o.out(green(o, `${spec.id} is ready in ${formatSeconds(result.durationMs)} (${shown(spec.localDir)})`));
    printConnections(o, result.runtime);
  } else {
    // Part of the cluster was running: say what changed, not the whole connection sheet again.
    o.out(green(o, `${spec.id} is ready in ${formatSeconds(result.durationMs)}: started ${restarted.join(', ')} again; the other services kept running`));
    printConnections(o, result.runtime, new Set(restarted));
  }
  return ExitCode.ok;
}

async function down(o: Output, cluster: Cluster, args: CliArgs): Promise<ExitCode> {
  const result = await downLocal(cluster, { purge: args.purge, progress: (line) => o.out(line) });
  const spec = resolveLocalSpec(cluster);
  const what = result.stopped.length ? `stopped ${plural(result.stopped.length, 'service')} in ${formatSeconds(result.durationMs)}` : 'nothing to stop';
  const data = result.purged ? `deleted ${shown(spec.localDir)}` : existsSync(spec.localDir) ? `data kept in ${shown(spec.localDir)}` : 'no local data';
  o.out(green(o, `${spec.id}: ${what}; ${data}`));
  return ExitCode.ok;
}

async function status(o: Output, cluster: Cluster): Promise<ExitCode> {
  const result = await localStatus(cluster);
  const rows = [['SERVICE', 'PID', 'PORT', 'ROLE', 'STATE', 'SESSIONS']];
  for (const s of result.services) rows.push([s.id, s.pid === null ? 'stopped' : String(s.pid), String(s.port), s.role, s.detail, s.sessions ?? '']);
  o.out(`${result.cluster} (${shown(result.localDir)})`);
  for (const line of table(rows)) o.out(line);
  if (result.backup !== undefined) o.out(`  backup: ${result.backup}`);
  // Like `service status`: a script can tell a whole cluster from one with a service down.
  return result.services.every((s) => s.pid !== null) ? ExitCode.ok : ExitCode.runtime;
}

/** Runs `up`, `down` or `status` for the loaded cluster; returns the exit code. */
export function runLocalCommand(command: 'up' | 'down' | 'status', o: Output, cluster: Cluster, args: CliArgs): Promise<ExitCode> {
  switch (command) {
    case 'up':
      return up(o, cluster, args);
    case 'down':
      return down(o, cluster, args);
    case 'status':
      return status(o, cluster);
  }
}
