import { describe, expect, it } from 'vitest';
import {
  authenticationOkMessage,
  queryMessage,
  singleColumnDataRow,
  startupMessage,
  terminateMessage,
  toHex,
} from '../../../src/render/haproxy/pg-wire.js';

// Expected bytes written out by hand from the protocol reference (Message Formats, protocol 3.0).

describe('PostgreSQL wire messages for the HAProxy role check', () => {
  it('encodes a StartupMessage: length, protocol 3.0, NUL-terminated pairs, closing NUL', () => {
    expect(toHex(startupMessage({ user: 'a' }))).toBe('00000010' + '00030000' + '7573657200' + '6100' + '00');
    const check = startupMessage({ user: 'haproxy_check', database: 'postgres' });
    expect(check.readInt32BE(0)).toBe(check.length);
  });

  it('encodes a simple Query with its length counting itself but not the type byte', () => {
    expect(toHex(queryMessage('select 1'))).toBe('51' + '0000000d' + '73656c6563742031' + '00');
  });

  it('encodes Terminate and AuthenticationOk', () => {
    expect(toHex(terminateMessage())).toBe('5800000004');
    expect(toHex(authenticationOkMessage())).toBe('520000000800000000');
  });

  it("encodes the DataRow a one-column boolean answer comes back as ('f' primary, 't' standby)", () => {
    expect(toHex(singleColumnDataRow('f'))).toBe('44' + '0000000b' + '0001' + '00000001' + '66');
    expect(toHex(singleColumnDataRow('t'))).toBe('440000000b00010000000174');
  });

  it('concatenates messages sent in one packet', () => {
    expect(toHex(queryMessage('select 1'), terminateMessage())).toBe('510000000d73656c656374203100' + '5800000004');
  });

  it('refuses a NUL inside a protocol string', () => {
    expect(() => startupMessage({ user: 'a\0b' })).toThrow(/NUL/);
  });
});
