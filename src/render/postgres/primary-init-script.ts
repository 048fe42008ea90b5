import type { ClusterSpec, PostgresNodeSpec } from '../../model/spec.js';
import { shellQuote, shellVariable } from '../shell.js';
import { QUIET_SESSION_SQL, renderBootstrapSql } from './bootstrap-sql.js';
import { scriptHead } from './node-title.js';
import { sqlLiteral } from './sql-text.js';

// The primary's bootstrap script (init.sh): the bootstrap SQL run through psql, passwords handed
// over as psql variables read from the environment. The primary's entrypoint.sh runs it.

const HEREDOC_END = 'SQL';

/** Written into the data directory once the bootstrap succeeded; the compose healthcheck needs it. */
export const BOOTSTRAP_DONE = 'pgsynth-bootstrap.done';

/** The psql variable a password travels in: `pgsynth.app_password` → `pw_app`. */
function psqlVariable(setting: string): string {
  return setting.replace(/^pgsynth\.(.*)_password$/, 'pw_$1');
}

function purposeOf(spec: ClusterSpec, env: string): string {
  return spec.secrets.find((s) => s.env === env)?.purpose ?? 'a password of the cluster';
}

/** The password variables init.sh reads: the inputs both targets hand it. */
export function initScriptVariables(spec: ClusterSpec, primary: PostgresNodeSpec): string[] {
  return renderBootstrapSql(spec, primary).passwordSettings.map(({ env }) => shellVariable(env));
}

/**
 * The primary's init.sh: checks every password variable, then runs the bootstrap SQL and creates
 * the application database through one psql session, as the superuser over the Unix socket.
 * Both targets run it: compose from the primary's entrypoint.sh, `synth up` on every start on the
 * node that is primary now (`slots`: that node's, when a failover made another one primary).
 */
export function renderPrimaryInitScript(spec: ClusterSpec, primary: PostgresNodeSpec, options: { slots?: string[] } = {}): string {
  const bootstrap = renderBootstrapSql(spec, primary, options);
  if (new RegExp(`^${HEREDOC_END}$`, 'm').test(bootstrap.sql)) throw new Error(`the bootstrap SQL contains a line '${HEREDOC_END}' that would end the heredoc`);
  // synth up always has every password (it generates missing ones), so only compose meets this.
  const where = ' (compose reads it from .env)';

  const passwords = bootstrap.passwordSettings.map(({ setting, env }) => ({ setting, env: shellVariable(env) }));
  const checks = passwords.map(({ env }) =>
    [
      `if [[ -z "\${${env}:-}" ]]; then`,
      `  echo ${shellQuote(`pgsynth: ${env} is not set or empty: it holds the ${purposeOf(spec, env)}${where}.`)} >&2`,
      '  missing=1',
      'fi',
    ].join('\n'),
  );
  // psql reads each password from its own environment (\set with `printenv`, which every psql
  // version has; \getenv needs 15), so no password is ever on a command line.
  const psqlCommand = `psql -v ON_ERROR_STOP=1 --no-psqlrc --no-password --username ${shellQuote(spec.roles.superuser.name)} --dbname postgres`;
  const { name, owner } = bootstrap.database;
  const sql = [
    '-- Nothing below may reach the server log: the next statements carry passwords.',
    ...QUIET_SESSION_SQL,
    ...passwords.map(({ setting, env }) => `\\set ${psqlVariable(setting)} \`printenv ${env}\``),
    '-- set_config returns the password it sets: send those results nowhere.',
    '\\o /dev/null',
    ...passwords.map(({ setting }) => `SELECT set_config(${sqlLiteral(setting)}, :'${psqlVariable(setting)}', false);`),
    '\\o',
    '',
    bootstrap.sql,
    '-- CREATE DATABASE cannot run inside a DO block; \\gexec runs it only when the database is missing.',
    `SELECT format('CREATE DATABASE %I OWNER %I', ${sqlLiteral(name)}, ${sqlLiteral(owner)})`,
    `WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_database WHERE datname = ${sqlLiteral(name)})\\gexec`,
  ];

  return [
    ...scriptHead(spec, primary),
    '# Run by entrypoint.sh, as postgres, while the server listens on the Unix socket only (PGHOST,',
    '# PGPORT), until it has once succeeded: creates the roles, the replication slots and the',
    '# application database. Idempotent. Passwords come from the environment; none is written to any file.',
    'set -euo pipefail',
    '',
    'missing=0',
    ...checks,
    'if (( missing )); then exit 1; fi',
    '',
    `${psqlCommand} <<'${HEREDOC_END}'`,
    ...sql,
    HEREDOC_END,
    '',
    '# Last: the primary is healthy only with this file, so a bootstrap that failed or was cut off',
    '# keeps every dependent service from starting against a half-made cluster (and entrypoint.sh',
    '# runs this script again on the next start).',
    `touch "$PGDATA"/${BOOTSTRAP_DONE}`,
    '',
  ].join('\n');
}
