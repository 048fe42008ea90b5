import { describe, expect, it } from 'vitest';
import { parseStandbyNames, standbyNameMatches } from '../../src/model/standby-names.js';

describe('parseStandbyNames accepts what PostgreSQL accepts', () => {
  it.each([
    ['FIRST 2 (a, b, c)', { method: 'FIRST', num: 2, names: ['a', 'b', 'c'] }],
    ['ANY 1 ("pg-replica1", "pg-replica2")', { method: 'ANY', num: 1, names: ['pg-replica1', 'pg-replica2'] }],
    ['any 1 (a,b)', { method: 'ANY', num: 1, names: ['a', 'b'] }],
    ['2 (a, b)', { method: 'FIRST', num: 2, names: ['a', 'b'] }],
    ['a, b', { method: 'FIRST', num: 1, names: ['a', 'b'] }],
    ['*', { method: 'FIRST', num: 1, names: ['*'] }],
    ['ANY 2 (*)', { method: 'ANY', num: 2, names: ['*'] }],
    ['FIRST 1 ("a""b", "first")', { method: 'FIRST', num: 1, names: ['a"b', 'first'] }],
    ['first_standby', { method: 'FIRST', num: 1, names: ['first_standby'] }],
    ['  s1 ,\n s2  ', { method: 'FIRST', num: 1, names: ['s1', 's2'] }],
  ])('%j', (input, value) => {
    expect(parseStandbyNames(input)).toEqual({ ok: true, value });
  });

  it("reads '' as no synchronous standbys", () => {
    expect(parseStandbyNames('')).toEqual({ ok: true, value: null });
  });

  it.each([
    ['FIRST 1 (pg-replica1)', 'syntax error at or near "-"'],
    ['ANY (a, b)', 'syntax error at or near "("'],
    ['FIRST 1 (a, b', 'syntax error at end of input'],
    ['ANY 1 ()', 'syntax error at or near ")"'],
    ['FIRST 1 (a) b', 'syntax error at or near "b"'],
    ['FIRST 1 ("a)', 'unterminated quoted identifier'],
    ['   ', 'syntax error at end of input'],
    ['ANY 0 (a)', 'number of synchronous standbys (0) must be greater than zero'],
    ['0 (a)', 'number of synchronous standbys (0) must be greater than zero'],
  ])('rejects %j: %s', (input, error) => {
    expect(parseStandbyNames(input)).toEqual({ ok: false, error });
  });

  it('matches names case-insensitively and * against anything', () => {
    expect(standbyNameMatches('PG-Replica1', 'pg-replica1')).toBe(true);
    expect(standbyNameMatches('*', 'whatever')).toBe(true);
    expect(standbyNameMatches('pg-replica1', 'pg-replica2')).toBe(false);
  });
});
