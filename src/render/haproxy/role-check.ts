import {
  authenticationOkMessage,
  queryMessage,
  singleColumnDataRow,
  startupMessage,
  terminateMessage,
  toHex,
} from './pg-wire.js';

/** Which answer of `pg_is_in_recovery()` marks a server UP. */
export type PostgresRole = 'primary' | 'standby';

export const ROLE_QUERY = 'select pg_is_in_recovery()';

/**
 * The `tcp-check` rules that tell a primary from a standby: log in as a trust-authenticated
 * role, ask `pg_is_in_recovery()` and expect its DataRow ('f' on a primary, 't' on a standby).
 * The Terminate travels with the query, so the server closes the connection right after
 * answering and a mismatch fails at once instead of at `timeout check`.
 */
export function roleCheckRules(role: PostgresRole, checkUser: string): string[] {
  const startup = toHex(startupMessage({ user: checkUser, database: 'postgres', application_name: 'haproxy-check' }));
  const query = toHex(queryMessage(ROLE_QUERY), terminateMessage());
  const answer = role === 'primary' ? 'f' : 't';
  return [
    'option tcp-check',
    'tcp-check connect',
    `tcp-check send-binary ${startup} comment "startup packet: user ${checkUser}, database postgres"`,
    `tcp-check expect binary ${toHex(authenticationOkMessage())} comment "AuthenticationOk: ${checkUser} logs in by trust"`,
    `tcp-check send-binary ${query} comment "${ROLE_QUERY}, then Terminate"`,
    `tcp-check expect binary ${toHex(singleColumnDataRow(answer))} comment "pg_is_in_recovery() = ${answer}: ${role}"`,
  ];
}
