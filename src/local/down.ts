import { existsSync, rmSync } from 'node:fs';
import type { Cluster } from '../model/cluster.js';
import type { ClusterSpec } from '../model/spec.js';
import { serviceIds } from '../model/services.js';
import { LocalSetupError } from '../process/errors.js';
import { readPidFile } from '../process/processes.js';
import { localLayout } from './layout.js';
import { resolveLocalSpec, type LocalSpecOptions } from './local-spec.js';
import { Progress, type ProgressSink } from './progress.js';
import { isServiceRunning, readState, removeState, writeState, type ServiceKind, type ServiceRecord } from './state.js';
import { inStopOrder, stopService } from './stop.js';

export interface DownOptions extends LocalSpecOptions {
  /** Delete the local directory (data, logs, generated passwords) once everything stopped. */
  purge?: boolean;
  progress?: ProgressSink;
}

export interface DownResult {
  /** Ids of the services that were running and are stopped now, in stop order. */
  stopped: string[];
  purged: boolean;
  durationMs: number;
}

function kindOf(spec: ClusterSpec, id: string): ServiceKind | undefined {
  const node = spec.postgres.find((n) => n.id === id);
  if (node) return node.role;
  if (spec.pgpools.some((p) => p.id === id)) return 'pgpool';
  if (spec.haproxies.some((h) => h.id === id)) return 'haproxy';
  return undefined;
}

/**
 * What to stop: the state file's records, and for a service missing there (a crash between its
 * start and the state write) whatever its pid file names.
 */
function knownServices(spec: ClusterSpec): ServiceRecord[] {
  const layout = localLayout(spec);
  const records = [...(readState(layout.stateFile)?.services ?? [])];
  for (const id of serviceIds(spec)) {
    if (records.some((r) => r.id === id)) continue;
    const pid = readPidFile(layout.pidFile(id));
    const kind = kindOf(spec, id);
    if (pid && kind) records.push({ id, kind, ...pid, pidFile: layout.pidFile(id), logFile: '', ports: [], startedAt: '' });
  }
  return records;
}

/** `synth down` for a resolved local spec: every service stopped by PID, clients first; data kept unless `purge`. */
export async function downSpec(spec: ClusterSpec, options: Omit<DownOptions, 'localDir'> = {}): Promise<DownResult> {
  const started = performance.now();
  const progress = new Progress(options.progress);
  const layout = localLayout(spec);
  let remaining = knownServices(spec);
  const stopped: string[] = [];
  for (const record of inStopOrder(remaining)) {
    if (isServiceRunning(record)) {
      await progress.step(`stop ${record.id} (pid ${record.pid})`, () => stopService(record));
      stopped.push(record.id);
    } else {
      rmSync(record.pidFile, { force: true });
    }
    remaining = remaining.filter((r) => r !== record);
    if (existsSync(layout.root)) writeState(layout.stateFile, { cluster: spec.id, localDir: layout.root, services: remaining });
  }
  removeState(layout.stateFile);
  if (stopped.length === 0) progress.note(`nothing of ${spec.id} was running`);

  let purged = false;
  if (options.purge && existsSync(layout.root)) {
    if (!existsSync(layout.markerFile)) {
      throw new LocalSetupError(
        'NOT_A_LOCAL_CLUSTER',
        `${layout.root} has no ${layout.markerFile.slice(layout.root.length + 1)}: it was not made by synth up, so --purge leaves it alone.`,
        `Check the path, and delete it yourself if it is really disposable.`,
      );
    }
    await progress.step(`delete ${layout.root}`, () => rmSync(layout.root, { recursive: true, force: true }));
    purged = true;
  }
  return { stopped, purged, durationMs: performance.now() - started };
}

export function downLocal(cluster: Cluster, options: DownOptions = {}): Promise<DownResult> {
  return downSpec(resolveLocalSpec(cluster, options), options);
}
