import type { ClusterSpec, PostgresNodeSpec } from '../../model/spec.js';
import { DIE_FUNCTION } from '../container-shell.js';
import { shellQuote, shellVariable } from '../shell.js';
import { stepScriptHead } from './node-title.js';

// initdb with the superuser's password, rendered once: the primary's entrypoint.sh runs these
// lines in the container, and `synth up` runs them as initdb.sh (renderInitdbScript).

/** The superuser's password variable: the one input the lines read besides PGDATA. */
export function initdbVariable(spec: ClusterSpec): string {
  return shellVariable(spec.roles.superuser.passwordEnv);
}

/**
 * `if no PG_VERSION: initdb … fi` on an empty $PGDATA, never on anything else; `guard` lines run
 * before initdb (and may refuse), `then` lines after it.
 */
export function initdbBlock(spec: ClusterSpec, { guard = [], then = [] }: { guard?: string[]; then?: string[] } = {}): string[] {
  const superuser = spec.roles.superuser;
  const passwordVar = initdbVariable(spec);
  const q = shellQuote;
  // synth up's clusters are throwaway development ones: seconds saved on every fresh start, and
  // the C locale that every host has.
  const localOptions = spec.target === 'local' ? ' --no-sync --locale=C' : '';
  return [
    'if [[ ! -f "$PGDATA/PG_VERSION" ]]; then',
    '  [[ -z "$(find "$PGDATA" -mindepth 1 -maxdepth 1 -print -quit)" ]] ||',
    '    die "$PGDATA is not empty but holds no data directory (no PG_VERSION). Nothing was deleted: move its contents away to initialize it."',
    `  [[ -n "\${${passwordVar}:-}" ]] || die ${q(`${passwordVar} is not set or empty: it holds the password of the superuser '${superuser.name}'.`)}`,
    `  [[ "$${passwordVar}" != *[$'\\n\\r']* ]] || die ${q(`${passwordVar} contains a line break, which initdb's password file cannot hold.`)}`,
    ...guard,
    '  echo "pgsynth: initdb $PGDATA"',
    '  # The password reaches initdb through a pipe, never a command line or a file.',
    `  initdb --username=${q(superuser.name)} --pwfile=<(printf '%s\\n' "$${passwordVar}") --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8${localOptions}`,
    ...then,
    'fi',
  ];
}

/** `synth up`'s initdb.sh for a node: the entrypoint's initdb lines on their own (the server is started by synth up). */
export function renderInitdbScript(spec: ClusterSpec, node: PostgresNodeSpec): string {
  return [
    ...stepScriptHead(spec, node, 'initdb into the empty data directory, as the primary\'s entrypoint.sh does it on compose.'),
    '',
    DIE_FUNCTION,
    '',
    'mkdir -p "$PGDATA"',
    ...initdbBlock(spec),
    '',
  ].join('\n');
}
