// Asks a real server which values of its string parameters it refuses, the way the settings
// check must: `postgres -C <name> -c <name>=<value>` runs the parameter's check hook on the value
// and exits, with no data directory (an empty folder holding an empty postgresql.conf).
// Used by scripts/gen-settings-catalog.ts; the results go into catalog/postgres-<major>.json.
import { spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StringChecks } from '../src/settings/catalog-format.js';

/** Token lists whose members the server checks one by one (check_log_destination, check_datestyle, …). */
const TOKEN_CANDIDATES: Record<string, string[]> = {
  log_destination: ['stderr', 'csvlog', 'jsonlog', 'syslog', 'eventlog'],
  datestyle: ['iso', 'sql', 'postgres', 'german', 'ymd', 'dmy', 'mdy', 'euro', 'european', 'us', 'noneuro', 'noneuropean', 'default'],
  createrole_self_grant: ['set', 'inherit'],
  debug_io_direct: ['data', 'wal', 'wal_init'],
  restrict_nonsystem_relation_kind: ['view', 'foreign-table'],
};

/** Encoding names and aliases (PostgreSQL's encnames.c); the server says which it knows. */
const ENCODING_CANDIDATES = [
  'abc', 'alt', 'big5', 'euccn', 'eucjis2004', 'eucjp', 'euckr', 'euctw', 'gb18030', 'gbk', 'iso88591', 'iso885910',
  'iso885913', 'iso885914', 'iso885915', 'iso885916', 'iso88592', 'iso88593', 'iso88594', 'iso88595', 'iso88596',
  'iso88597', 'iso88598', 'iso88599', 'johab', 'koi8', 'koi8r', 'koi8u', 'latin1', 'latin10', 'latin2', 'latin3',
  'latin4', 'latin5', 'latin6', 'latin7', 'latin8', 'latin9', 'mskanji', 'muleinternal', 'shiftjis', 'shiftjis2004',
  'sjis', 'sqlascii', 'tcvn', 'tcvn5712', 'uhc', 'unicode', 'utf8', 'vscii', 'win', 'win1250', 'win1251', 'win1252',
  'win1253', 'win1254', 'win1255', 'win1256', 'win1257', 'win1258', 'win866', 'win874', 'win932', 'win936', 'win949',
  'win950', 'windows1250', 'windows1251', 'windows1252', 'windows1253', 'windows1254', 'windows1255', 'windows1256',
  'windows1257', 'windows1258', 'windows866', 'windows874', 'windows932', 'windows936', 'windows949', 'windows950',
  'eucjp2004', 'mule', 'ascii', 'utf16', 'latin11', 'iso88591x',
];

export interface Prober {
  /** null when the server accepts `value` for `name`, else its complaint. */
  refusal(name: string, value: string): string | null;
  close(): void;
}

/** A prober for the server binary in `binDir`; as root it runs as the `postgres` OS user when it must. */
export function prober(binDir: string, user: { uid: number; gid: number }): Prober {
  const dir = mkdtempSync(join(tmpdir(), 'pgsynth-probe-'));
  writeFileSync(join(dir, 'postgresql.conf'), '');
  writeFileSync(join(dir, 'postgresql.auto.conf'), '');
  for (const file of ['', 'postgresql.conf', 'postgresql.auto.conf']) chownSync(join(dir, file), user.uid, user.gid);
  const bin = join(binDir, 'postgres');
  return {
    refusal(name, value) {
      const run = spawnSync(bin, ['-C', name, '-D', dir, '-c', `${name}=${value}`], {
        encoding: 'utf8', cwd: dir, uid: user.uid, gid: user.gid, env: { ...process.env, LC_ALL: 'C', TZ: 'UTC' },
      });
      if (run.error) throw run.error;
      if (run.status === 0) return null;
      return run.stderr.split('\n').map((l) => l.replace(/^\S+ \S+ \S+ \[\d+\] /, '')).filter(Boolean).join(' | ') || `status ${run.status}`;
    },
    close() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Same normalization as the server's clean_encoding_name: lower case, letters and digits only. */
export function cleanEncodingName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * The string checks of one major: which parameters refuse '', which check list syntax, the
 * tokens of the token lists, and the encodings, time zone abbreviation files and time zones the
 * server accepts. `timeZones` comes from the running server's pg_timezone_names.
 */
export function probeStringChecks(binDir: string, shareDir: string, stringParams: string[], timeZones: string[], user: { uid: number; gid: number }): StringChecks {
  const probe = prober(binDir, user);
  try {
    const accepts = (name: string, value: string) => probe.refusal(name, value) === null;
    const present = new Set(stringParams.map((n) => n.toLowerCase()));
    const emptyRejected = stringParams.filter((name) => !accepts(name, '')).map((n) => n.toLowerCase()).sort();
    // List syntax: refuses an unterminated quoted identifier, yet takes a plain word and a list of two.
    // synchronous_standby_names has a grammar of its own (FIRST 1 (…)), which the standby-names rules check.
    const listSyntax = stringParams
      .filter((name) => name !== 'synchronous_standby_names')
      .filter((name) => !accepts(name, '"unterminated') && accepts(name, 'pgsynthprobe') && accepts(name, 'pgsynthprobe, other'))
      .map((n) => n.toLowerCase())
      .sort();
    const tokens: Record<string, string[]> = {};
    for (const [name, candidates] of Object.entries(TOKEN_CANDIDATES)) {
      if (present.has(name)) tokens[name] = candidates.filter((token) => accepts(name, token));
    }
    const encodings = ENCODING_CANDIDATES.filter((e) => accepts('client_encoding', e)).map(cleanEncodingName).sort();
    const abbreviationFiles = readdirSync(join(shareDir, 'timezonesets')).filter((file) => accepts('timezone_abbreviations', file)).sort();
    const zones = [...new Set(timeZones)].sort();
    return { emptyRejected, listSyntax, tokens, encodings, timezoneAbbreviations: abbreviationFiles, timeZones: zones };
  } finally {
    probe.close();
  }
}
