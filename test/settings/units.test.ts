import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/settings/catalog.js';
import { rint, strtod, strtol0 } from '../../src/settings/c-number.js';
import {
  baseUnitOf, convertToBaseUnit, formatWithUnit, lookupEnum, parseBool, parseInteger, parseReal,
} from '../../src/settings/units.js';
import { checkPostgresqlConf } from '../support/postgres-check.js';

const catalog = loadCatalog(17);
function baseOf(name: string) {
  return baseUnitOf(catalog.settings.get(name)!.unit);
}

/** [parameter, value as written between quotes, value in the parameter's base unit]. */
const INTEGERS: [string, string, number][] = [
  ['work_mem', '64MB', 65536],
  ['work_mem', '1GB', 1048576],
  ['work_mem', '1TB', 1073741824],
  ['work_mem', '65536B', 64],
  ['work_mem', ' 64 MB ', 65536],
  ['work_mem', '1.5MB', 1536],
  ['work_mem', '0.1MB', 102],
  ['work_mem', '100.4kB', 100],
  ['work_mem', '1e2kB', 100],
  ['work_mem', '0x40', 64],
  ['work_mem', '0100', 64], // octal, as strtol reads it
  ['work_mem', '0x1.8p6', 96], // re-read by strtod as a hex float
  ['work_mem', '+64', 64],
  ['work_mem', '64.5', 64], // rint: halfway goes to even
  ['work_mem', '65.5', 66],
  ['shared_buffers', '128MB', 16384],
  ['shared_buffers', '1.3MB', 166],
  ['shared_buffers', '131072B', 16],
  ['shared_buffers', '1028kB', 128], // 128.5 blocks → 128
  ['shared_buffers', '1036kB', 130], // 129.5 blocks → 130
  ['shared_buffers', '1024', 1024],
  ['min_wal_size', '1GB', 1024],
  ['min_wal_size', '81920kB', 80],
  ['statement_timeout', '1.5s', 1500],
  ['statement_timeout', '1min', 60000],
  ['statement_timeout', '1h', 3600000],
  ['statement_timeout', '1d', 86400000],
  ['statement_timeout', '1500us', 2],
  ['statement_timeout', '2500us', 2],
  ['statement_timeout', '1.5us', 0],
  ['statement_timeout', '0.5ms', 0],
  ['autovacuum_naptime', '0.9s', 1],
  ['autovacuum_naptime', '1.5min', 90],
  ['autovacuum_naptime', '1500ms', 2],
  ['autovacuum_naptime', '2500ms', 2],
  ['log_rotation_age', '1d', 1440],
  ['log_rotation_age', '90s', 2],
  ['log_rotation_age', '150s', 2],
];

const REALS: [string, string, number][] = [
  ['vacuum_cost_delay', '2ms', 2],
  ['vacuum_cost_delay', '1.5us', 0.0015],
  ['vacuum_cost_delay', '1500.7us', 1500.7 * 0.001], // the server multiplies by 1.0 / 1000 too
  ['vacuum_cost_delay', '0.5', 0.5],
  ['seq_page_cost', '1.0e-7', 1e-7],
  ['seq_page_cost', '0x10', 16],
  ['seq_page_cost', ' 2.5 ', 2.5],
  ['checkpoint_completion_target', '.75', 0.75],
];

const BOOLEANS: [string, boolean][] = [
  ['on', true], ['ON', true], ['off', false], ['of', false], ['t', true], ['TR', true], ['true', true],
  ['f', false], ['False', false], ['y', true], ['YES', true], ['n', false], ['no', false], ['1', true], ['0', false],
];
const NOT_BOOLEANS = ['o', 'onn', 'truex', '', ' on', '2', '01', 'maybe'];

/** [parameter, text, expected problem] for integers the server refuses. */
const BAD_INTEGERS: [string, string, string][] = [
  ['work_mem', '64mb', 'bad-unit'],
  ['work_mem', '64 kB x', 'bad-unit'],
  ['work_mem', '64kBs', 'bad-unit'],
  ['work_mem', '5s', 'bad-unit'],
  ['work_mem', '0x1p6', 'bad-unit'],
  ['work_mem', '1e', 'bad-unit'],
  ['work_mem', '08', 'bad-unit'],
  ['work_mem', '1e400', 'overflow'],
  ['work_mem', '3000000000', 'overflow'],
  ['work_mem', '2TB', 'overflow'],
  ['work_mem', 'inf', 'syntax'],
  ['work_mem', ' .5', 'syntax'],
  ['work_mem', '', 'syntax'],
  ['work_mem', 'nan', 'syntax'],
  ['max_parallel_workers', '8MB', 'unit-not-allowed'],
  ['statement_timeout', '5MB', 'bad-unit'],
  ['statement_timeout', '5 sec', 'bad-unit'],
];

const conf = (name: string, text: string) => `${name} = '${text}'\n`;

describe('integer values are read as guc.c parse_int reads them', () => {
  it.each(INTEGERS)('%s = %j is %d base units, and the server agrees', (name, text, expected) => {
    expect(parseInteger(text, baseOf(name))).toEqual({ ok: true, value: expected });
    expect(checkPostgresqlConf(conf(name, text), 17, name)).toEqual({ ok: true, message: String(expected) });
  });

  it.each(BAD_INTEGERS)('%s = %j is refused (%s), and the server refuses it too', (name, text, problem) => {
    const parsed = parseInteger(text, baseOf(name));
    expect(parsed.ok ? 'accepted' : parsed.problem.kind).toBe(problem);
    const server = checkPostgresqlConf(conf(name, text), 17, name);
    expect(server).toEqual({ ok: false, message: expect.stringContaining(`LOG:  invalid value for parameter "${name}": "${text}"`) });
  });
});

describe('real values are read as guc.c parse_real reads them', () => {
  it.each(REALS)('%s = %j is %d, and the server agrees', (name, text, expected) => {
    expect(parseReal(text, baseOf(name))).toEqual({ ok: true, value: expected });
    const server = checkPostgresqlConf(conf(name, text), 17, name);
    expect(server.ok).toBe(true);
    expect(Number(server.message)).toBe(Number(expected.toPrecision(6))); // -C prints %g
  });

  it('refuses underflow, overflow and NaN like strtod with ERANGE', () => {
    expect(parseReal('1e-320', null)).toEqual({ ok: false, problem: { kind: 'overflow' } });
    expect(parseReal('1e400', null)).toEqual({ ok: false, problem: { kind: 'overflow' } });
    expect(parseReal('nan', null)).toEqual({ ok: false, problem: { kind: 'syntax' } });
    expect(parseReal('inf', null)).toEqual({ ok: true, value: Infinity }); // left to the range check
    expect(checkPostgresqlConf(conf('seq_page_cost', '1e-320'), 17)).toEqual({ ok: false, message: 'LOG:  invalid value for parameter "seq_page_cost": "1e-320"' });
  });
});

describe('booleans follow parse_bool', () => {
  it.each(BOOLEANS)('%j is %s, and the server agrees', (text, expected) => {
    expect(parseBool(text)).toBe(expected);
    expect(checkPostgresqlConf(conf('fsync', text), 17, 'fsync')).toEqual({ ok: true, message: expected ? 'on' : 'off' });
  });

  it.each(NOT_BOOLEANS)('%j is not a boolean for either', (text) => {
    expect(parseBool(text)).toBeNull();
    expect(checkPostgresqlConf(conf('fsync', text), 17)).toEqual({ ok: false, message: 'LOG:  parameter "fsync" requires a Boolean value' });
  });
});

describe('enums', () => {
  it('match case-insensitively, without trimming, and give the canonical spelling', () => {
    expect(lookupEnum('TRY', ['off', 'on', 'try'])).toBe('try');
    expect(lookupEnum(' try', ['off', 'on', 'try'])).toBeNull();
    expect(checkPostgresqlConf(conf('huge_pages', 'TRY'), 17, 'huge_pages')).toEqual({ ok: true, message: 'try' });
  });
});

describe('unit conversion', () => {
  it('reads pg_settings units', () => {
    expect(baseUnitOf('8kB')).toEqual({ family: 'memory', size: 8192, label: '8kB' });
    expect(baseUnitOf('MB')).toEqual({ family: 'memory', size: 1048576, label: 'MB' });
    expect(baseUnitOf('min')).toEqual({ family: 'time', size: 60e6, label: 'min' });
    expect(baseUnitOf(null)).toBeNull();
  });

  it('rounds a fraction to whole next-smaller units, then leaves rint to the caller', () => {
    const kB = baseUnitOf('kB')!;
    expect(convertToBaseUnit(30.1, 'GB', kB)).toBe(30822 * 1024); // 30822.4 MB → 30822 MB
    expect(convertToBaseUnit(1.3, 'MB', baseUnitOf('8kB')!)).toBe(166.375);
    expect(convertToBaseUnit(1, 'mb', kB)).toBeNull();
    expect(convertToBaseUnit(1, 'minutes', baseUnitOf('s')!)).toBeNull();
  });

  it('writes base amounts in the largest exact unit', () => {
    expect(formatWithUnit(16, baseUnitOf('8kB'))).toBe('128kB');
    expect(formatWithUnit(1073741823, baseUnitOf('8kB'))).toBe('8589934584kB');
    expect(formatWithUnit(16777216, baseUnitOf('kB'))).toBe('16GB');
    expect(formatWithUnit(60, baseUnitOf('s'))).toBe('1min');
    expect(formatWithUnit(0.5, baseUnitOf('ms'))).toBe('500us');
    expect(formatWithUnit(0, baseUnitOf('kB'))).toBe('0');
    expect(formatWithUnit(-1, baseUnitOf('kB'))).toBe('-1kB');
    expect(formatWithUnit(42, null)).toBe('42');
  });
});

describe('C number parsing', () => {
  it('strtol with base 0', () => {
    expect(strtol0('010')).toEqual({ value: 8, end: 3, erange: false });
    expect(strtol0(' -0x1F!')).toEqual({ value: -31, end: 6, erange: false });
    expect(strtol0('0x')).toEqual({ value: 0, end: 1, erange: false });
    expect(strtol0('abc').end).toBe(0);
    expect(strtol0('99999999999999999999').erange).toBe(true);
  });

  it('strtod', () => {
    expect(strtod('1e5x')).toEqual({ value: 1e5, end: 3, erange: false });
    expect(strtod('1e')).toEqual({ value: 1, end: 1, erange: false });
    expect(strtod('-Infinity')).toEqual({ value: -Infinity, end: 9, erange: false });
    expect(strtod('0x1.8p1')).toEqual({ value: 3, end: 7, erange: false });
    expect(strtod('.').end).toBe(0);
  });

  it('rint rounds halfway cases to even', () => {
    expect([0.5, 1.5, 2.5, -1.5, -2.5, 2.4, 2.6].map(rint)).toEqual([0, 2, 2, -2, -2, 2, 3]);
  });
});
