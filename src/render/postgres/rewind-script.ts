import type { ClusterSpec, PostgresNodeSpec } from '../../model/spec.js';
import { DIE_FUNCTION } from '../container-shell.js';
import { shellQuote } from '../shell.js';
import { fenceFunction, peerConstants } from './fencing-shell.js';
import { stepScriptHead } from './node-title.js';

// `synth up`'s rewind.sh for a stopped node: the entrypoints' fence_former_primary
// (fencing-shell.ts) on its own. A node that last ran as a primary asks its peers and, when one
// is the primary on a newer timeline, is rewound onto it (pg_rewind) and made its standby.

export function renderRewindScript(spec: ClusterSpec, node: PostgresNodeSpec): string {
  return [
    ...stepScriptHead(spec, node, "Rejoins this stopped node as the standby of the peer promoted in its place, as the entrypoints do on compose."),
    `readonly CONFIG_FILE=${shellQuote(`${node.paths.configDir}/postgresql.conf`)}`,
    // The password file line's match is only for writing it (passfile.sh).
    ...peerConstants(spec, node).filter((line) => !/^(readonly PASSFILE_MATCH=|# host:port:database:user)/.test(line)),
    '',
    DIE_FUNCTION,
    fenceFunction(spec),
    '',
    'fence_former_primary',
    '',
  ].join('\n');
}
