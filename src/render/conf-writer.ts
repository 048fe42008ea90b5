// The one writer for `key = value` files: postgresql.conf and pgpool.conf. Every value reaches
// those files through confValue, so quoting is decided in one place.

import { formatConfNumber, quoteConfString } from '../settings/format.js';
import type { SettingValue } from '../settings/issue.js';
import type { ClusterSpec, ServerSpec } from '../model/spec.js';

/** A value of either file: the same values as a PostgreSQL setting. */
export type ConfValue = SettingValue;

/**
 * `postgresql`: quoted strings honour `''` and backslash escapes (guc-file.l), so both are escaped.
 * `pgpool`: Pgpool-II's lexer takes the text between the quotes literally and has no escape for a
 * quote (`''` is a syntax error in 4.3), so a quote or backslash is refused instead.
 */
export type ConfDialect = 'postgresql' | 'pgpool';

export interface ConfEntry {
  key: string;
  value: ConfValue;
  /** Why the value is what it is; written after the value, or above it when the line is long. */
  comment?: string;
}

export interface ConfSection {
  title: string;
  entries: ConfEntry[];
}

const KEY = /^[a-z_][a-z0-9_.]*$/;
const LINE_BREAK_OR_NUL = /[\0\n\r]/;
/** Assignments longer than this keep their comment on the line above, so one long conninfo does not push every comment in its section off screen. */
const INLINE_COMMENT_LIMIT = 56;

/**
 * `listen_addresses` and `port` of a server, in either file: on compose it listens on the network
 * (`composeWhy` says who connects there), under synth up on loopback only.
 */
export function listenEntries(
  target: ClusterSpec['target'],
  server: ServerSpec,
  composeWhy: string,
): ConfEntry[] {
  return [
    { key: 'listen_addresses', value: server.listenAddresses, comment: target === 'compose' ? composeWhy : 'loopback only' },
    { key: 'port', value: server.port.listenPort },
  ];
}

/** A value as written after `=`: numbers bare, booleans `on`/`off`, strings single-quoted. */
export function confValue(value: ConfValue, dialect: ConfDialect = 'postgresql'): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  // postgresql.conf's own rules (exponents, '' and \ escapes) live with the settings catalog.
  if (typeof value === 'number') return formatConfNumber(value);
  if (dialect === 'postgresql') return quoteConfString(value);
  if (LINE_BREAK_OR_NUL.test(value)) {
    throw new Error(`refusing to write ${JSON.stringify(value)} to a configuration file: it contains a newline, carriage return or NUL`);
  }
  if (/['\\]/.test(value)) {
    throw new Error(`refusing to write ${JSON.stringify(value)} to pgpool.conf: Pgpool-II cannot read a quote or backslash inside a value`);
  }
  return `'${value}'`;
}

function commentText(text: string): string {
  if (LINE_BREAK_OR_NUL.test(text)) throw new Error(`refusing to write a comment with a line break: ${JSON.stringify(text)}`);
  return text;
}

function renderSection(section: ConfSection, dialect: ConfDialect): string[] {
  const keyWidth = Math.max(...section.entries.map((e) => e.key.length));
  const assignments = section.entries.map((e) => `${e.key.padEnd(keyWidth)} = ${confValue(e.value, dialect)}`);
  const inline = (i: number) => section.entries[i]!.comment !== undefined && assignments[i]!.length <= INLINE_COMMENT_LIMIT;
  const inlineWidth = Math.max(0, ...assignments.filter((_, i) => inline(i)).map((a) => a.length));
  const lines = [`# ${commentText(section.title)}`];
  section.entries.forEach((entry, i) => {
    const assignment = assignments[i]!;
    if (entry.comment === undefined) {
      lines.push(assignment);
    } else if (inline(i)) {
      lines.push(`${assignment.padEnd(inlineWidth)}  # ${commentText(entry.comment)}`);
    } else {
      lines.push(`# ${commentText(entry.comment)}`, assignment);
    }
  });
  return lines;
}

/**
 * A whole file: the header as comment lines, then each non-empty section under its title, keys
 * aligned within a section. Keys are checked (`^[a-z_][a-z0-9_.]*$`) and must be unique: both
 * servers silently keep the last of two assignments.
 */
export function renderConf(sections: ConfSection[], header: string[], dialect: ConfDialect = 'postgresql'): string {
  const seen = new Set<string>();
  for (const { entries } of sections) {
    for (const { key } of entries) {
      if (!KEY.test(key)) throw new Error(`invalid configuration key ${JSON.stringify(key)}: expected lower-case letters, digits, '_' and '.'`);
      if (seen.has(key)) throw new Error(`configuration key '${key}' is written twice; the server would silently keep only the last`);
      seen.add(key);
    }
  }
  const blocks = [
    header.map((line) => (line === '' ? '#' : `# ${commentText(line)}`)),
    ...sections.filter((s) => s.entries.length > 0).map((s) => renderSection(s, dialect)),
  ].filter((block) => block.length > 0);
  return `${blocks.map((block) => block.join('\n')).join('\n\n')}\n`;
}
