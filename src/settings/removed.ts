// Parameters that a PostgreSQL release removed or renamed. Which supported majors have a name is read
// from the catalogs; this hand-written list adds what they cannot say: the replacement, and names
// removed before 13 that old configuration files still carry.

export interface RemovedSetting {
  /** First major without the parameter ("9.5" for names older than the supported majors). */
  removedIn: string;
  /** The parameter that took over, when there is one. */
  replacement?: string;
  /** What to do instead, as a fix. */
  advice: string;
}

export const REMOVED_SETTINGS: Readonly<Record<string, RemovedSetting>> = {
  checkpoint_segments: {
    removedIn: '9.5', replacement: 'max_wal_size',
    advice: "use \"max_wal_size\" (a size, e.g. '1GB')",
  },
  wal_keep_segments: {
    removedIn: '13', replacement: 'wal_keep_size',
    advice: "use \"wal_keep_size\" (a size: segments × 16MB, e.g. '1GB' for 64 segments)",
  },
  operator_precedence_warning: {
    removedIn: '14',
    advice: 'remove it: the operator precedence changes of 9.5 it warned about are long settled',
  },
  vacuum_cleanup_index_scale_factor: {
    removedIn: '14',
    advice: 'remove it: PostgreSQL 14 decides index cleanup without it',
  },
  stats_temp_directory: {
    removedIn: '15',
    advice: 'remove it: statistics live in shared memory since PostgreSQL 15',
  },
  force_parallel_mode: {
    removedIn: '16', replacement: 'debug_parallel_query',
    advice: 'use "debug_parallel_query" (same values)',
  },
  vacuum_defer_cleanup_age: {
    removedIn: '16',
    advice: 'remove it: use hot_standby_feedback or a replication slot to protect standby queries',
  },
  promote_trigger_file: {
    removedIn: '16',
    advice: 'remove it: promote with `pg_ctl promote` or `SELECT pg_promote()`',
  },
  lc_collate: {
    removedIn: '16',
    advice: 'remove it: the collation is chosen per database (initdb --locale, CREATE DATABASE … LC_COLLATE)',
  },
  lc_ctype: {
    removedIn: '16',
    advice: 'remove it: the character classification is chosen per database (initdb --locale, CREATE DATABASE … LC_CTYPE)',
  },
  db_user_namespace: {
    removedIn: '17',
    advice: 'remove it: per-database user names are gone; use distinct role names',
  },
  old_snapshot_threshold: {
    removedIn: '17',
    advice: 'remove it: bound long transactions with idle_in_transaction_session_timeout or statement_timeout',
  },
  trace_recovery_messages: {
    removedIn: '17',
    advice: 'remove it: recovery messages follow log_min_messages',
  },
};

export function removedSetting(name: string): RemovedSetting | undefined {
  return Object.hasOwn(REMOVED_SETTINGS, name) ? REMOVED_SETTINGS[name] : undefined;
}

/** The removed parameter that `name` replaced, if any ("debug_parallel_query" → "force_parallel_mode"). */
export function predecessorOf(name: string): string | undefined {
  return Object.entries(REMOVED_SETTINGS).find(([, removed]) => removed.replacement === name)?.[0];
}
