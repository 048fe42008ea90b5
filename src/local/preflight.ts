import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ClusterSpec } from '../model/spec.js';
import { LocalSetupError } from '../process/errors.js';
import { isPortFree } from '../process/ports.js';
import type { RunAs } from '../process/run-as.js';
import { hostPortUses } from '../model/host-ports.js';
import { SOCKET_PATH_MAX_BYTES, socketPathsTooLong } from '../model/socket-paths.js';

// Checks before anything starts, each failing with what to do instead of a server's own
// message deep in a log.

/** Every existing folder from `/` down to `dir`. */
function existingAncestors(dir: string): string[] {
  const chain: string[] = [];
  for (let current = dir; ; current = dirname(current)) {
    try {
      if (statSync(current).isDirectory()) chain.unshift(current);
    } catch {
      // Not created yet: mkdir will make it, owned by us.
    }
    if (current === dirname(current)) return chain;
  }
}

/** PostgreSQL and Pgpool-II run as `runAs` and must reach the local directory through every parent. */
export function checkReachable(dir: string, runAs: RunAs): void {
  if (!runAs.switched) return;
  for (const folder of existingAncestors(dir)) {
    const st = statSync(folder);
    const bit = st.uid === runAs.uid ? 0o100 : st.gid === runAs.gid ? 0o010 : 0o001;
    if ((st.mode & bit) === 0) {
      throw new LocalSetupError(
        'LOCAL_DIR_UNREACHABLE',
        `PostgreSQL and Pgpool-II run as the OS user "${runAs.user}", which cannot enter ${folder} ` +
          `(mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}) on the way to ${dir}.`,
        `Run synth up from a project outside ${folder}, or let others traverse it: \`chmod o+x ${folder}\`.`,
      );
    }
  }
}

/** sun_path holds 107 bytes: a deep project path makes PostgreSQL fail with "Unix-domain socket path … is too long". */
export function checkSocketPaths(spec: ClusterSpec): void {
  const [tooLong] = socketPathsTooLong(spec);
  if (tooLong) {
    throw new LocalSetupError(
      'SOCKET_PATH_TOO_LONG',
      `The socket ${tooLong} is longer than the ${SOCKET_PATH_MAX_BYTES} bytes a Unix socket path may have.`,
      'Run synth up from a shorter project path, or pass a shorter localDir to startLocalCluster.',
    );
  }
}

/** Ports of the services about to start, all of which must be free on 127.0.0.1. */
export async function checkPortsFree(spec: ClusterSpec, starting: ReadonlySet<string>): Promise<void> {
  const uses = hostPortUses(spec).filter((use) => starting.has(use.node.id));
  const busy: string[] = [];
  for (const use of uses) {
    if (!(await isPortFree('127.0.0.1', use.port))) busy.push(`${use.port} (${use.node.id} ${use.field})`);
  }
  if (busy.length > 0) {
    throw new LocalSetupError(
      'PORT_IN_USE',
      `Already in use on 127.0.0.1: ${busy.join(', ')}.`,
      `Stop what listens there (\`ss -ltnp 'sport = :${busy[0]!.split(' ')[0]}'\` shows it; \`synth down\` if it is an earlier synth up), or choose other ports in cluster.config.ts.`,
    );
  }
}
