import { describe, expect, it } from 'vitest';
import { confValue, renderConf } from '../../../src/render/conf-writer.js';
import { hasMarker } from '../../../src/render/generated-file.js';
import { MARKER_TEXT, markerComment } from '../../../src/render/marker.js';
import { hostPostgres } from '../../support/binaries.js';
import { checkConfig } from '../../support/postgres-runner.js';

describe('marker', () => {
  it('is the exact text the writer looks for', () => {
    expect(hasMarker(`# ${MARKER_TEXT}\nx = 1\n`)).toBe(true);
    expect(hasMarker(`# ${MARKER_TEXT.replace('Do not edit', 'Edit')}\n`)).toBe(false);
    expect(markerComment()).toBe(`# ${MARKER_TEXT}`);
    expect(markerComment('--')).toBe(`-- ${MARKER_TEXT}`);
  });
});

describe('confValue', () => {
  it('writes numbers bare, booleans as on/off and strings single-quoted', () => {
    expect(confValue(100)).toBe('100');
    expect(confValue(-1)).toBe('-1');
    expect(confValue(0.9)).toBe('0.9');
    expect(confValue(true)).toBe('on');
    expect(confValue(false)).toBe('off');
    expect(confValue('4GB')).toBe("'4GB'");
    expect(confValue('')).toBe("''");
  });

  it("doubles quotes and backslashes for PostgreSQL, whose parser unescapes both", () => {
    expect(confValue("it's")).toBe("'it''s'");
    expect(confValue('a\\b')).toBe("'a\\\\b'");
  });

  it('refuses what Pgpool-II cannot read back: a quote or backslash', () => {
    expect(confValue('/var/run/pgpool', 'pgpool')).toBe("'/var/run/pgpool'");
    expect(() => confValue("it's", 'pgpool')).toThrow(/Pgpool-II cannot read a quote/);
    expect(() => confValue('a\\b', 'pgpool')).toThrow(/Pgpool-II/);
  });

  it('refuses line breaks, NUL and non-finite numbers', () => {
    expect(() => confValue('md5\nhost all all 0.0.0.0/0 trust')).toThrow(/line feed/);
    expect(() => confValue('a\rb')).toThrow(/carriage return/);
    expect(() => confValue('a\0b')).toThrow(/NUL/);
    expect(() => confValue(Number.NaN)).toThrow(/finite/);
    expect(() => confValue(Number.POSITIVE_INFINITY)).toThrow(/finite/);
  });
});

describe('renderConf', () => {
  const text = renderConf(
    [
      {
        title: 'Connections',
        entries: [
          { key: 'listen_addresses', value: '*', comment: 'every interface' },
          { key: 'port', value: 5432 },
        ],
      },
      { title: 'Empty', entries: [] },
      { title: 'Standby', entries: [{ key: 'primary_conninfo', value: 'host=pg-primary port=5432 user=replicator application_name=pg-replica1', comment: 'no password' }] },
    ],
    [MARKER_TEXT, 'shop/pg-primary'],
  );

  it('writes the header as comments, then aligned sections, and ends in one newline', () => {
    expect(text).toBe(
      [
        `# ${MARKER_TEXT}`,
        '# shop/pg-primary',
        '',
        '# Connections',
        "listen_addresses = '*'  # every interface",
        'port             = 5432',
        '',
        '# Standby',
        '# no password',
        "primary_conninfo = 'host=pg-primary port=5432 user=replicator application_name=pg-replica1'",
        '',
      ].join('\n'),
    );
  });

  it('refuses bad and repeated keys, and comments with line breaks', () => {
    expect(() => renderConf([{ title: 'x', entries: [{ key: 'Port', value: 1 }] }], [])).toThrow(/invalid configuration key/);
    expect(() => renderConf([{ title: 'x', entries: [{ key: 'a = 1\nb', value: 1 }] }], [])).toThrow(/invalid configuration key/);
    expect(() =>
      renderConf(
        [
          { title: 'x', entries: [{ key: 'port', value: 1 }] },
          { title: 'y', entries: [{ key: 'port', value: 2 }] },
        ],
        [],
      ),
    ).toThrow(/written twice/);
    expect(() => renderConf([{ title: 'x', entries: [{ key: 'port', value: 1, comment: 'a\nb = 2' }] }], [])).toThrow(/line break/);
    expect(() => renderConf([], ['a\nb'])).toThrow(/line break/);
  });

  it("writes values the host's PostgreSQL reads back unchanged", () => {
    const tricky = "%m [%p] it's C:\\dir\\ ";
    const conf = renderConf([{ title: 'Logging', entries: [{ key: 'log_line_prefix', value: tricky, comment: "a quote ' and # in a comment" }] }], [MARKER_TEXT]);
    const result = checkConfig(hostPostgres().binDir, conf, { param: 'log_line_prefix' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`${tricky}\n`);
  });
});
