import { describe, expect, it } from 'vitest';
import {
  checkSettingValue, CONTROLLED_SETTINGS, quoteConfString, validateSettings,
} from '../../src/settings/validate.js';
import { loadCatalog, SUPPORTED_MAJORS } from '../../src/settings/catalog.js';
import { REMOVED_SETTINGS } from '../../src/settings/removed.js';
import type { SettingsFor } from '../../src/settings/types.generated.js';
import { confValue } from '../../src/render/conf-writer.js';
import { checkPostgresqlConf } from '../support/postgres-check.js';

describe('validateSettings', () => {
  it('takes the generated types, where an undefined property is not set', () => {
    const settings: SettingsFor<16> = { work_mem: '64MB', jit: undefined, shared_buffers: '64kB' };
    expect(validateSettings(16, settings).map((issue) => issue.name)).toEqual(['shared_buffers']);
  });
});

describe('PGS301 unknown parameter', () => {
  it('suggests the closest name of the major', () => {
    expect(validateSettings(17, { shared_bufers: '1GB' })).toEqual([{
      name: 'shared_bufers',
      code: 'PGS301',
      message: 'unknown parameter "shared_bufers" for PostgreSQL 17; did you mean "shared_buffers"?',
      fix: 'rename it to "shared_buffers"',
    }]);
    expect(checkPostgresqlConf("shared_bufers = '1GB'\n", 17).message)
      .toMatch(/unrecognized configuration parameter "shared_bufers"/);
  });

  it('says so plainly when nothing is close', () => {
    expect(validateSettings(16, { frobnicate_everything: 1 })).toEqual([{
      name: 'frobnicate_everything',
      code: 'PGS301',
      message: 'unknown parameter "frobnicate_everything" for PostgreSQL 16',
      fix: 'remove it, or check the name against the PostgreSQL 16 documentation (extension parameters need their prefix, e.g. "pg_stat_statements.max")',
    }]);
  });

  it('matches names case-insensitively, as the server does', () => {
    expect(validateSettings(17, { timezone: 'UTC', TimeZone: 'UTC', DateStyle: 'ISO, DMY', Work_Mem: '4MB' })).toEqual([]);
    expect(checkPostgresqlConf("timezone = 'UTC'\nWork_Mem = '4MB'\n", 17).ok).toBe(true);
  });

  it('leaves extension parameters to the extension, like the server', () => {
    expect(validateSettings(17, { 'pg_stat_statements.max': 10000, 'auto_explain.log_min_duration': '1s' })).toEqual([]);
    expect(validateSettings(17, { 'pg_stat_statements.max': NaN })).toEqual([{
      name: 'pg_stat_statements.max', code: 'PGS302', message: '"pg_stat_statements.max" must be a finite number; got NaN', fix: 'use a finite number',
    }]);
    expect(validateSettings(17, { 'a.b.c': 1 })[0]!.code).toBe('PGS301');
    expect(checkPostgresqlConf('pg_stat_statements.max = 10000\n', 17).ok).toBe(true);
  });
});

describe('PGS302 wrong type', () => {
  it.each([
    [{ max_parallel_workers: '100MB' }, '"max_parallel_workers" must be an integer without a unit; got "100MB"', 'use a whole number from 0 to 1024'],
    [{ max_parallel_workers: 'eight' }, '"max_parallel_workers" must be an integer; got "eight"', 'use a whole number from 0 to 1024'],
    [{ fsync: 'maybe' }, '"fsync" must be a boolean (on/off, true/false, yes/no, 1/0); got "maybe"', 'use true or false'],
    [{ fsync: 2 }, '"fsync" must be a boolean (on/off, true/false, yes/no, 1/0); got 2', 'use true or false'],
    [{ fsync: NaN }, '"fsync" must be a boolean (on/off, true/false, yes/no, 1/0); got NaN', 'use true or false'],
    [{ work_mem: true }, '"work_mem" must be a memory size (a number of kilobytes, or a number with a unit: B, kB, MB, GB, TB); got true', "use a number or a string like '4MB'"],
    [{ shared_buffers: 'lots' }, '"shared_buffers" must be a memory size (a number of 8kB blocks, or a number with a unit: B, kB, MB, GB, TB); got "lots"', "use a number or a string like '128MB'"],
    [{ statement_timeout: NaN }, '"statement_timeout" must be a duration (a number of milliseconds, or a number with a unit: us, ms, s, min, h, d); got NaN', "use a number or a string like '30s'"],
    [{ random_page_cost: 'fast' }, '"random_page_cost" must be a number; got "fast"', 'use a number from 0 to 1.79769e+308'],
    [{ search_path: 5 }, '"search_path" must be a string; got 5', "write it as a string: '5'"],
  ])('%j', (settings, message, fix) => {
    const [name] = Object.keys(settings);
    expect(validateSettings(17, settings)).toEqual([{ name, code: 'PGS302', message, fix }]);
  });

  it('refuses an empty lc_messages, which the server only takes as its default', () => {
    expect(validateSettings(16, { lc_messages: '' })).toEqual([{
      name: 'lc_messages',
      code: 'PGS302',
      message: '"lc_messages" = "" is invalid on PostgreSQL 16: the server refuses an empty value',
      fix: 'remove it from settings to keep the default, or give a value',
    }]);
    expect(checkPostgresqlConf("lc_messages = ''\n", 16).message).toContain('invalid value for parameter "lc_messages": ""');
  });

  it('is what the server refuses too', () => {
    const result = checkPostgresqlConf("max_parallel_workers = '100MB'\nfsync = 'maybe'\nwork_mem = on\n", 17);
    expect(result.message).toContain('invalid value for parameter "max_parallel_workers": "100MB"');
    expect(result.message).toContain('parameter "fsync" requires a Boolean value');
    expect(result.message).toContain('invalid value for parameter "work_mem": "on"');
  });
});

describe('PGS303 enum value not in the list', () => {
  it('lists the allowed values and suggests the closest', () => {
    expect(validateSettings(17, { huge_pages: 'tru' })).toEqual([{
      name: 'huge_pages',
      code: 'PGS303',
      message: '"huge_pages" does not accept "tru" on PostgreSQL 17; allowed values: off, on, try',
      fix: "use 'try'",
    }]);
    expect(validateSettings(16, { log_min_messages: 'verbose' })).toEqual([{
      name: 'log_min_messages',
      code: 'PGS303',
      message: '"log_min_messages" does not accept "verbose" on PostgreSQL 16; allowed values: debug5, debug4, debug3, debug2, debug1, info, notice, warning, error, log, fatal, panic',
      fix: 'use one of: debug5, debug4, debug3, debug2, debug1, info, notice, warning, error, log, fatal, panic',
    }]);
  });

  it.each([13, 14, 15, 16, 17] as const)("refuses wal_level 'hot_standby' and 'archive' on %i, which the server maps silently", (major) => {
    for (const value of ['hot_standby', 'archive']) {
      const issues = validateSettings(major, { wal_level: value });
      expect(issues.map((issue) => issue.code)).toEqual(['PGS307', 'PGS303']);
      expect(issues[1]).toEqual({
        name: 'wal_level',
        code: 'PGS303',
        message: `"wal_level" does not accept "${value}" on PostgreSQL ${major}; allowed values: minimal, replica, logical`,
        fix: "use 'replica'",
      });
      expect(checkSettingValue(major, 'wal_level', value).map((issue) => issue.code)).toEqual(['PGS303']);
    }
    expect(checkPostgresqlConf("wal_level = 'hot_standby'\n", major)).toEqual({ ok: true, message: 'replica' });
  });

  it('accepts booleans for enums that list on and off, and lz4/zstd that official images support', () => {
    expect(validateSettings(17, { huge_pages: true, wal_compression: 'zstd', default_toast_compression: 'lz4' })).toEqual([]);
    expect(validateSettings(14, { wal_compression: 'zstd' })[0]!.code).toBe('PGS302'); // a boolean before 15
  });
});

describe('PGS304 out of range', () => {
  it('gives the range with its unit and the value as the server reads it', () => {
    expect(validateSettings(17, { shared_buffers: '64kB' })).toEqual([{
      name: 'shared_buffers',
      code: 'PGS304',
      message: '"shared_buffers" = "64kB" is out of range for PostgreSQL 17: allowed 16..1073741823 × 8kB, got 8 × 8kB',
      fix: 'use a value from 128kB to 8589934584kB',
    }]);
    expect(validateSettings(15, { work_mem: '32kB', max_parallel_workers: 2000, random_page_cost: -1 })).toEqual([
      {
        name: 'work_mem',
        code: 'PGS304',
        message: '"work_mem" = "32kB" is out of range for PostgreSQL 15: allowed 64..2147483647 kB, got 32 kB',
        fix: 'use a value from 64kB to 2147483647kB',
      },
      {
        name: 'max_parallel_workers',
        code: 'PGS304',
        message: '"max_parallel_workers" = 2000 is out of range for PostgreSQL 15: allowed 0..1024, got 2000',
        fix: 'use a value from 0 to 1024',
      },
      {
        name: 'random_page_cost',
        code: 'PGS304',
        message: '"random_page_cost" = -1 is out of range for PostgreSQL 15: allowed 0..1.79769e+308, got -1',
        fix: 'use a value from 0 to 1.79769e+308',
      },
    ]);
  });

  it('covers values beyond the integer range', () => {
    expect(validateSettings(17, { work_mem: '4TB' })).toEqual([{
      name: 'work_mem',
      code: 'PGS304',
      message: '"work_mem" = "4TB" is out of range for PostgreSQL 17: allowed 64..2147483647 kB',
      fix: 'use a value from 64kB to 2147483647kB',
    }]);
  });

  it("applies the server's check-hook limits that pg_settings does not show", () => {
    expect(validateSettings(17, { vacuum_buffer_usage_limit: '64kB', notify_buffers: 17, max_stack_depth: '100MB' })).toEqual([
      {
        name: 'vacuum_buffer_usage_limit',
        code: 'PGS304',
        message: '"vacuum_buffer_usage_limit" = "64kB" is out of range for PostgreSQL 17: it must be 0 or between 128kB and 16GB',
        fix: "use 0 (no limit) or at least '128kB'",
      },
      {
        name: 'notify_buffers',
        code: 'PGS304',
        message: '"notify_buffers" = 17 is out of range for PostgreSQL 17: it must be a multiple of 16',
        fix: 'use 16 or 32',
      },
      {
        name: 'max_stack_depth',
        code: 'PGS304',
        message: '"max_stack_depth" = "100MB" is out of range for PostgreSQL 17: it must stay 512kB below the stack size limit: at most 7680kB with the usual 8MB (ulimit -s 8192)',
        fix: "use at most '7680kB'",
      },
    ]);
    const server = checkPostgresqlConf("vacuum_buffer_usage_limit = '64kB'\nnotify_buffers = 17\n", 17);
    expect(server.message).toContain('"vacuum_buffer_usage_limit" must be 0 or between 128 kB and 16777216 kB');
    expect(server.message).toContain('"notify_buffers" must be a multiple of 16');
  });
});

describe('PGS305 invalid unit', () => {
  it.each([
    ['work_mem', '64mb', '"work_mem" = "64mb" has an invalid unit "mb"; valid units are B, kB, MB, GB, TB', 'write the unit as "MB" (units are case-sensitive)'],
    ['work_mem', '5min', '"work_mem" = "5min" has an invalid unit "min"; valid units are B, kB, MB, GB, TB', '"work_mem" is a memory size, not a duration: use one of B, kB, MB, GB, TB'],
    ['statement_timeout', '5 sec', '"statement_timeout" = "5 sec" has an invalid unit "sec"; valid units are us, ms, s, min, h, d', 'use one of us, ms, s, min, h, d'],
  ])('%s = %j', (name, value, message, fix) => {
    expect(validateSettings(17, { [name]: value })).toEqual([{ name, code: 'PGS305', message, fix }]);
    expect(checkPostgresqlConf(`${name} = '${value}'\n`, 17).message).toContain('Valid units for this parameter are');
  });
});

describe('PGS306 exists in another supported major', () => {
  it('has a removal list that agrees with the catalogs', () => {
    for (const [name, removed] of Object.entries(REMOVED_SETTINGS)) {
      const has = SUPPORTED_MAJORS.filter((major) => loadCatalog(major).settings.has(name));
      const removedIn = Number(removed.removedIn);
      expect(has, name).toEqual(SUPPORTED_MAJORS.filter((major) => major < removedIn));
      if (removed.replacement) expect(loadCatalog(17).settings.has(removed.replacement), removed.replacement).toBe(true);
    }
  });

  it.each([
    [17, 'wal_keep_segments', '"wal_keep_segments" does not exist in PostgreSQL 17: it was removed in PostgreSQL 13', "use \"wal_keep_size\" (a size: segments × 16MB, e.g. '1GB' for 64 segments)"],
    [16, 'vacuum_defer_cleanup_age', '"vacuum_defer_cleanup_age" does not exist in PostgreSQL 16: it was removed in PostgreSQL 16 (it exists in PostgreSQL 13, 14, 15)', 'remove it: use hot_standby_feedback or a replication slot to protect standby queries'],
    [16, 'promote_trigger_file', '"promote_trigger_file" does not exist in PostgreSQL 16: it was removed in PostgreSQL 16 (it exists in PostgreSQL 13, 14, 15)', 'remove it: promote with `pg_ctl promote` or `SELECT pg_promote()`'],
    [14, 'operator_precedence_warning', '"operator_precedence_warning" does not exist in PostgreSQL 14: it was removed in PostgreSQL 14 (it exists in PostgreSQL 13)', 'remove it: the operator precedence changes of 9.5 it warned about are long settled'],
    [15, 'stats_temp_directory', '"stats_temp_directory" does not exist in PostgreSQL 15: it was removed in PostgreSQL 15 (it exists in PostgreSQL 13, 14)', 'remove it: statistics live in shared memory since PostgreSQL 15'],
    [16, 'force_parallel_mode', '"force_parallel_mode" does not exist in PostgreSQL 16: it was removed in PostgreSQL 16 (it exists in PostgreSQL 13, 14, 15)', 'use "debug_parallel_query" (same values)'],
    [15, 'debug_parallel_query', '"debug_parallel_query" does not exist in PostgreSQL 15: it exists in PostgreSQL 16, 17', 'use "force_parallel_mode" on PostgreSQL 15, or target PostgreSQL 16 or later'],
    [17, 'lc_collate', '"lc_collate" does not exist in PostgreSQL 17: it was removed in PostgreSQL 16 (it exists in PostgreSQL 13, 14, 15)', 'remove it: the collation is chosen per database (initdb --locale, CREATE DATABASE … LC_COLLATE)'],
    [16, 'summarize_wal', '"summarize_wal" does not exist in PostgreSQL 16: it exists in PostgreSQL 17', 'remove it, or target PostgreSQL 17'],
    [13, 'vacuum_buffer_usage_limit', '"vacuum_buffer_usage_limit" does not exist in PostgreSQL 13: it exists in PostgreSQL 16, 17', 'remove it, or target PostgreSQL 16 or later'],
  ] as const)('on %i: %s', (major, name, message, fix) => {
    expect(validateSettings(major, { [name]: 'x' })).toEqual([{ name, code: 'PGS306', message, fix }]);
    expect(checkPostgresqlConf(`${name} = 'x'\n`, major).message).toContain(`unrecognized configuration parameter "${name}"`);
  });
});

describe('PGS307 a setting pgsynth controls', () => {
  it('points at the owning option', () => {
    expect(validateSettings(17, { max_connections: 200, listen_addresses: '*', recovery_target_time: 'now' })).toEqual([
      {
        name: 'max_connections',
        code: 'PGS307',
        message: '"max_connections" cannot be set in settings: pgsynth sets it from the `maxConnections` option',
        fix: 'remove it from settings and use `maxConnections`',
      },
      {
        name: 'listen_addresses',
        code: 'PGS307',
        message: "\"listen_addresses\" cannot be set in settings: pgsynth manages it per target (compose listens on '*', local on 127.0.0.1)",
        fix: 'remove it from settings',
      },
      {
        name: 'recovery_target_time',
        code: 'PGS307',
        message: '"recovery_target_time" cannot be set in settings: not supported: pgsynth builds streaming replicas, not archive recovery',
        fix: 'remove it from settings',
      },
    ]);
  });

  it('also reports a value the option would refuse', () => {
    expect(validateSettings(17, { max_connections: '100MB' }).map((issue) => issue.code)).toEqual(['PGS307', 'PGS302']);
  });

  it('names only parameters every supported major has, in lower case', () => {
    for (const major of [13, 14, 15, 16, 17] as const) {
      for (const name of Object.keys(CONTROLLED_SETTINGS)) {
        expect(validateSettings(major, { [name]: 'x' })[0]!.code).toBe('PGS307');
      }
    }
  });
});

describe('PGS308 control characters', () => {
  it.each([
    ['a\nb', 'a line feed (\\n)'],
    ['a\rb', 'a carriage return (\\r)'],
    ['a\0b', 'a NUL character (\\0)'],
  ])('%j', (value, what) => {
    expect(validateSettings(17, { log_line_prefix: value })).toEqual([{
      name: 'log_line_prefix',
      code: 'PGS308',
      message: `"log_line_prefix" value contains ${what}, which cannot be written to postgresql.conf`,
      fix: 'remove the control character from the value',
    }]);
    expect(() => confValue(value)).toThrow('a configuration value cannot contain a line feed, carriage return or NUL');
  });

  it('is reported for unknown and extension parameters too', () => {
    expect(validateSettings(17, { 'my_ext.banner': 'a\nb' }).map((issue) => issue.code)).toEqual(['PGS308']);
    expect(validateSettings(17, { listen_adresses: 'a\nb' }).map((issue) => issue.code)).toEqual(['PGS301', 'PGS308']);
  });
});

describe('PGS309 and PGS310', () => {
  it('refuses read-only parameters, which the server cannot change', () => {
    expect(validateSettings(15, { block_size: 8192 })).toEqual([{
      name: 'block_size',
      code: 'PGS309',
      message: '"block_size" is read-only on PostgreSQL 15: it reports how the server was built or initialized',
      fix: 'remove it from settings',
    }]);
    expect(checkPostgresqlConf('block_size = 8192\n', 15).message).toContain('parameter "block_size" cannot be changed');
  });

  it('refuses bonjour, which Linux builds do not have', () => {
    expect(validateSettings(17, { bonjour: true })).toEqual([{
      name: 'bonjour',
      code: 'PGS310',
      message: '"bonjour" = true is not supported: PostgreSQL builds for Linux have no Bonjour support ("Bonjour is not supported by this build")',
      fix: 'remove it, or set it to false',
    }]);
    expect(validateSettings(17, { bonjour: false })).toEqual([]);
    expect(checkPostgresqlConf('bonjour = on\n', 17).message).toContain('Bonjour is not supported by this build');
  });
});

describe('PGS311 settings refused together', () => {
  it('log_statement_stats with per-stage statistics', () => {
    expect(validateSettings(17, { log_parser_stats: true, log_statement_stats: 'on' })).toEqual([{
      name: 'log_statement_stats',
      code: 'PGS311',
      message: '"log_statement_stats" cannot be on together with "log_parser_stats": the server refuses the combination',
      fix: 'turn off "log_statement_stats", or turn off log_parser_stats, log_planner_stats and log_executor_stats',
    }]);
    expect(validateSettings(17, { log_parser_stats: true, log_statement_stats: false })).toEqual([]);
    expect(checkPostgresqlConf('log_parser_stats = on\nlog_statement_stats = on\n', 17).message)
      .toContain('Cannot enable "log_statement_stats" when "log_parser_stats", "log_planner_stats", or "log_executor_stats" is true.');
  });

  it('more server processes than the server can count, with defaults for the rest', () => {
    expect(validateSettings(15, { autovacuum_max_workers: 262130 })).toEqual([{
      name: 'autovacuum_max_workers',
      code: 'PGS311',
      message: '"autovacuum_max_workers" = 262130 makes max_connections + autovacuum_max_workers + 1 + max_worker_processes + max_wal_senders = 262249, above the server\'s limit of 262143 processes',
      fix: 'lower "autovacuum_max_workers" so that the sum stays at most 262143',
    }]);
    expect(checkPostgresqlConf('autovacuum_max_workers = 262130\n', 15).message)
      .toContain('invalid value for parameter "autovacuum_max_workers": 262130');
  });
});

describe('checkSettingValue, for the options that own controlled parameters', () => {
  it('checks the value against the catalog without refusing the name', () => {
    expect(checkSettingValue(17, 'max_connections', 200)).toEqual([]);
    expect(checkSettingValue(17, 'max_connections', 300000)).toEqual([{
      name: 'max_connections',
      code: 'PGS304',
      message: '"max_connections" = 300000 is out of range for PostgreSQL 17: allowed 1..262143, got 300000',
      fix: 'use a value from 1 to 262143',
    }]);
    expect(checkSettingValue(13, 'max_slot_wal_keep_size', '10GB')).toEqual([]);
    expect(checkSettingValue(17, 'wal_keep_segments', 8)[0]!.code).toBe('PGS306');
  });
});

describe('confValue and quoteConfString', () => {
  it('writes numbers bare, booleans on/off and strings quoted', () => {
    expect(confValue(8)).toBe('8');
    expect(confValue(1.1)).toBe('1.1');
    expect(confValue(1e-7)).toBe('1.0e-7');
    expect(confValue(-2.5e21)).toBe('-2.5e+21');
    expect(confValue(true)).toBe('on');
    expect(confValue(false)).toBe('off');
    expect(confValue('64MB')).toBe("'64MB'");
    expect(() => confValue(Infinity)).toThrow('a configuration value must be a finite number, got Infinity');
  });

  it("doubles ' and \\ so the server reads the string back unchanged", () => {
    const tricky = "it's a \\path\\ # not a comment = \\n 'é' \\\\";
    expect(quoteConfString(tricky)).toBe("'it''s a \\\\path\\\\ # not a comment = \\\\n ''é'' \\\\\\\\'");
    expect(checkPostgresqlConf(`log_line_prefix = ${quoteConfString(tricky)}\n`, 17, 'log_line_prefix'))
      .toEqual({ ok: true, message: tricky });
    expect(quoteConfString('')).toBe("''");
  });

  it('writes numbers the config lexer reads as one token', () => {
    const conf = [
      `seq_page_cost = ${confValue(1e-7)}`,
      `random_page_cost = ${confValue(1e21)}`,
      `work_mem = ${confValue(65536)}`,
    ].join('\n');
    expect(checkPostgresqlConf(`${conf}\n`, 17, 'seq_page_cost')).toEqual({ ok: true, message: '1e-07' });
    expect(checkPostgresqlConf(`${conf}\n`, 17, 'random_page_cost')).toEqual({ ok: true, message: '1e+21' });
  });
});
