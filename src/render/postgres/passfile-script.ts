import type { ClusterSpec, PostgresNodeSpec } from '../../model/spec.js';
import { DIE_FUNCTION } from '../container-shell.js';
import { peerConstants, writePassfile } from './fencing-shell.js';
import { stepScriptHead } from './node-title.js';

// `synth up`'s passfile.sh for a node: the lines both container entrypoints write the
// replication role's password file with (fencing-shell.ts), on their own.

export function renderPassfileScript(spec: ClusterSpec, node: PostgresNodeSpec): string {
  return [
    ...stepScriptHead(spec, node, "The replication role's password file, written as the entrypoints write it on compose.", { dataDir: false }),
    ...peerConstants(spec, node).filter((line) => /^readonly PASSFILE(_MATCH)?=/.test(line)),
    '',
    DIE_FUNCTION,
    '',
    ...writePassfile(spec),
    '',
  ].join('\n');
}
