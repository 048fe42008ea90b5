import { join } from 'node:path';
import type { ClusterSpec } from '../model/spec.js';

/**
 * Files of the local runtime itself. The services' own paths (data, configs, sockets, logs)
 * come from the resolved spec; these sit beside them in the same local directory.
 */
export interface LocalLayout {
  /** The spec's localDir: `.pgsynth/local/<cluster>` unless the caller chose another. */
  root: string;
  /** PIDs, start times and ports of what `synth up` started, for `down` and `status` in a later process. */
  stateFile: string;
  /** Generated passwords for the variables the environment leaves unset (0600). */
  secretsFile: string;
  /** Proves the directory is ours before `down --purge` deletes it. */
  markerFile: string;
  /** Our pid file of a service (pid and /proc start time); never the one the service writes itself. */
  pidFile(id: string): string;
}

export function localLayout(spec: ClusterSpec): LocalLayout {
  const root = spec.localDir;
  return {
    root,
    stateFile: join(root, 'state.json'),
    secretsFile: join(root, 'secrets.env'),
    markerFile: join(root, '.pgsynth-local'),
    pidFile: (id) => join(root, id, 'pgsynth.pid'),
  };
}
