import type { ClusterSpec, PostgresNodeSpec } from '../../model/spec.js';
import { markerComment } from '../marker.js';
import { bootstrapRoles, CHECKPOINT_FUNCTION, passwordSetting, type BootstrapRole } from './bootstrap-roles.js';
import { nodeTitle } from './node-title.js';
import { sqlComment, sqlIdentifier, sqlLiteral } from './sql-text.js';

// The primary's bootstrap as plain SQL statements, runnable by psql and by node-postgres alike:
// no psql meta-commands or variables. Passwords never appear in it: each is read inside a DO
// block from a session setting the caller sets first, so the statement text (and any log of it)
// holds no secret.

export interface BootstrapSql {
  /** Set each, before `sql` and in the same session: `SELECT set_config(setting, <value of env>, false)`. */
  passwordSettings: Array<{ setting: string; env: string }>;
  /** Idempotent: a second run re-applies passwords and attributes and keeps existing slots. */
  sql: string;
  /**
   * Created by the caller after `sql`, in the same session (CREATE DATABASE cannot run inside a
   * DO block, and the session's synchronous_commit = local keeps it from waiting for standbys).
   */
  database: { name: string; owner: string };
}

function roleBlock(role: BootstrapRole): string {
  const name = sqlLiteral(role.name);
  const attributes = ['LOGIN', ...role.attributes].join(' ');
  const lines = [sqlComment(`${role.name}: ${role.purposes.join('; ')}`), 'DO $$'];
  if (role.passwordEnv === null) {
    lines.push(
      'BEGIN',
      `  IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${name}) THEN`,
      `    EXECUTE format('ALTER ROLE %I WITH ${attributes} PASSWORD NULL', ${name});`,
      '  ELSE',
      `    EXECUTE format('CREATE ROLE %I WITH ${attributes}', ${name});`,
      '  END IF;',
    );
  } else {
    const setting = passwordSetting(role.name);
    lines.push(
      'DECLARE',
      `  pw text := current_setting(${sqlLiteral(setting)}, true);`,
      'BEGIN',
      "  IF coalesce(pw, '') = '' THEN",
      `    RAISE EXCEPTION USING MESSAGE = ${sqlLiteral(`${setting} is not set: set it to the value of ${role.passwordEnv} before this script`)};`,
      '  END IF;',
      `  IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${name}) THEN`,
      `    EXECUTE format('ALTER ROLE %I WITH ${attributes} PASSWORD %L', ${name}, pw);`,
      '  ELSE',
      `    EXECUTE format('CREATE ROLE %I WITH ${attributes} PASSWORD %L', ${name}, pw);`,
      '  END IF;',
    );
  }
  for (const group of role.memberOf) {
    lines.push(
      `  IF NOT pg_catalog.pg_has_role(${name}, ${sqlLiteral(group)}, 'MEMBER') THEN`,
      `    EXECUTE format('GRANT %I TO %I', ${sqlLiteral(group)}, ${name});`,
      '  END IF;',
    );
  }
  lines.push('END', '$$;');
  // GRANT is idempotent; no DO block needed (and a role name is quoted as an identifier).
  for (const fn of role.executes) {
    if (fn === CHECKPOINT_FUNCTION) lines.push(`GRANT USAGE ON SCHEMA ${CHECKPOINT_SCHEMA} TO ${sqlIdentifier(role.name)};`);
    lines.push(`GRANT EXECUTE ON FUNCTION ${fn} TO ${sqlIdentifier(role.name)};`);
  }
  return lines.join('\n');
}

const CHECKPOINT_SCHEMA = CHECKPOINT_FUNCTION.split('.')[0]!;

/** CHECKPOINT_FUNCTION, owned by the superuser running the bootstrap; no one may call it until granted. */
function checkpointFunctionBlock(): string {
  return [
    '-- PostgreSQL before 15 lets only a superuser CHECKPOINT (no pg_checkpoint role). The',
    '-- replication role checkpoints a new primary through this function, so that pg_rewind reads',
    "-- its new timeline from the control file; the function does that and nothing else.",
    `CREATE SCHEMA IF NOT EXISTS ${CHECKPOINT_SCHEMA};`,
    `REVOKE ALL ON SCHEMA ${CHECKPOINT_SCHEMA} FROM PUBLIC;`,
    `CREATE OR REPLACE FUNCTION ${CHECKPOINT_FUNCTION} RETURNS void`,
    '  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog',
    "  AS $$ BEGIN EXECUTE 'CHECKPOINT'; END $$;",
    `REVOKE ALL ON FUNCTION ${CHECKPOINT_FUNCTION} FROM PUBLIC;`,
  ].join('\n');
}

function slotsBlock(slots: string[]): string {
  return [
    '-- Physical replication slots, made only when missing. They reserve WAL at once, so a',
    "-- standby's first base backup and stream find every segment from now on; the primary's",
    '-- max_slot_wal_keep_size bounds what a standby that never comes can hold back.',
    'DO $$',
    'DECLARE',
    '  slot text;',
    'BEGIN',
    `  FOREACH slot IN ARRAY ARRAY[${slots.map(sqlLiteral).join(', ')}]::text[] LOOP`,
    '    IF NOT EXISTS (SELECT FROM pg_catalog.pg_replication_slots WHERE slot_name = slot) THEN',
    '      BEGIN',
    '        PERFORM pg_catalog.pg_create_physical_replication_slot(slot, true);',
    '      EXCEPTION WHEN duplicate_object THEN',
    '        NULL; -- made meanwhile by another session (Pgpool\'s failover.sh after a promotion)',
    '      END;',
    '    END IF;',
    '  END LOOP;',
    'END',
    '$$;',
  ].join('\n');
}

/**
 * Statements that open a bootstrap session, before any password is handed over: the server must
 * not log the set_config calls that carry them, whatever `log_statement` or
 * `log_min_duration_statement` the user's settings ask for.
 */
export const QUIET_SESSION_SQL = [
  "SET log_statement = 'none';",
  'SET log_min_duration_statement = -1;',
  "SET log_min_error_statement = 'panic';",
  'SET log_parameter_max_length = 0;',
];

/** The roles, grants and slots of `primary`'s cluster, and the database the caller creates after. */
export function renderBootstrapSql(spec: ClusterSpec, primary: PostgresNodeSpec, options: { slots?: string[] } = {}): BootstrapSql {
  const role = primary.primary;
  if (!role) throw new Error(`${primary.path} is not a primary`);
  const slots = options.slots ?? role.slots;
  const roles = bootstrapRoles(spec, primary);
  const passwordSettings = roles.flatMap((r) => (r.passwordEnv === null ? [] : [{ setting: passwordSetting(r.name), env: r.passwordEnv }]));
  const blocks = [
    [
      markerComment('--'),
      sqlComment(nodeTitle(spec, primary)),
      '-- Roles and replication slots. Safe to run again: existing roles get the current passwords',
      '-- and attributes, existing slots stay.',
    ].join('\n'),
    [
      '-- Hash passwords with SCRAM whatever the server default (13 still hashed md5).',
      "SET password_encryption = 'scram-sha-256';",
      '-- Standbys named in synchronous_standby_names may not exist yet: commit without waiting for them.',
      "SET synchronous_commit = 'local';",
    ].join('\n'),
    ...(roles.some((r) => r.executes.includes(CHECKPOINT_FUNCTION)) ? [checkpointFunctionBlock()] : []),
    ...roles.map(roleBlock),
    ...(slots.length > 0 ? [slotsBlock(slots)] : []),
  ];
  return {
    passwordSettings,
    sql: `${blocks.join('\n\n')}\n`,
    database: { name: role.database, owner: role.owner.name },
  };
}
