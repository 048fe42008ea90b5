// The checks the server's hooks run on string parameters (check_timezone, check_datestyle,
// check_log_destination, check_client_encoding, SplitIdentifierString, …), with the accepted
// names probed from each real server into its catalog (scripts/probe-string-settings.ts).
import type { StringChecks } from './catalog-format.js';
import { closestMatch } from './suggest.js';

export interface StringProblem {
  detail: string;
  fix: string;
}

/**
 * SplitIdentifierString: a comma-separated list of identifiers, each plain (lower-cased) or
 * double-quoted ("" for a quote inside; an empty quoted name is allowed, an empty plain one is
 * not). Returns the identifiers, or the problem.
 */
export function splitIdentifierList(text: string): string[] | StringProblem {
  const invalid = (why: string): StringProblem => ({ detail: `invalid list syntax (${why})`, fix: 'write a comma-separated list such as \'a, "B c"\'' });
  const items: string[] = [];
  let i = 0;
  const isSpace = (c: string | undefined) => c !== undefined && /[ \t\n\r\f\v]/.test(c);
  while (isSpace(text[i])) i++;
  if (i === text.length) return items;
  for (;;) {
    let item: string;
    if (text[i] === '"') {
      let j = i + 1;
      item = '';
      for (;;) {
        const close = text.indexOf('"', j);
        if (close < 0) return invalid('a quote is not closed');
        if (text[close + 1] === '"') {
          item += text.slice(j, close + 1);
          j = close + 2;
          continue;
        }
        item += text.slice(j, close);
        i = close + 1;
        break;
      }
    } else {
      const start = i;
      while (i < text.length && text[i] !== ',' && !isSpace(text[i])) i++;
      item = text.slice(start, i).toLowerCase();
      if (item === '') return invalid('an empty item');
    }
    items.push(item);
    while (isSpace(text[i])) i++;
    if (text[i] === ',') {
      i++;
      while (isSpace(text[i])) i++;
      continue;
    }
    if (i === text.length) return items;
    return invalid(`unexpected text after "${item}"`);
  }
}

/** check_datestyle: one output style and one field order at most. */
const DATE_STYLES: Record<string, string> = { iso: 'ISO', sql: 'SQL', postgres: 'Postgres', german: 'German' };
const DATE_ORDERS: Record<string, string> = { ymd: 'YMD', dmy: 'DMY', mdy: 'MDY', us: 'MDY' };

function dateOrder(item: string): string | undefined {
  if (item.startsWith('noneuro')) return 'MDY';
  if (item.startsWith('euro')) return 'DMY';
  return DATE_ORDERS[item];
}

function checkDateStyle(items: string[]): StringProblem | undefined {
  let style: string | undefined;
  let order: string | undefined;
  for (const item of items) {
    const s = DATE_STYLES[item];
    const o = dateOrder(item);
    if (s) {
      if (style && style !== s) return { detail: `conflicting "datestyle" specifications: ${style} and ${s}`, fix: `keep one output style: ${style} or ${s}` };
      style = s;
    }
    if (o) {
      if (order && order !== o) return { detail: `conflicting "datestyle" specifications: ${order} and ${o}`, fix: `keep one field order: ${order} or ${o}` };
      order = o;
    }
  }
  return undefined;
}

/**
 * A POSIX TZ specification such as 'UTC+3', 'EST5EDT' or '<+03>-3' (tzparse): a name is anything
 * up to a digit, sign or comma ('Q.UTF-8' is the zone "Q.UTF" at offset -8), so this is loose.
 */
const TZ_NAME = String.raw`(?:[^\d,+\-<>]+|<[A-Za-z0-9+\-]+>)`;
const TZ_OFFSET = String.raw`[+-]?\d+(?::\d+){0,2}`;
const POSIX_TZ = new RegExp(`^${TZ_NAME}${TZ_OFFSET}(?:${TZ_NAME}(?:${TZ_OFFSET})?(?:,.*)?)?$`);
/** check_timezone reads a bare number (strtod) as an offset in hours. */
const NUMERIC_TZ = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Zone files the tz database has besides the names pg_timezone_names lists. */
const UNLISTED_ZONES = ['posixrules', 'factory', 'localtime'];

function checkTimeZone(name: string, value: string, zones: readonly string[]): StringProblem | undefined {
  if (NUMERIC_TZ.test(value)) return undefined;
  if (/^right\//i.test(value)) return { detail: `time zone "${value}" appears to use leap seconds`, fix: `use '${value.slice(6)}'` };
  const lower = value.toLowerCase();
  if (zones.some((zone) => zone.toLowerCase() === lower) || UNLISTED_ZONES.includes(lower)) return undefined;
  if (POSIX_TZ.test(value)) return undefined;
  const suggestion = closestMatch(value, zones);
  return {
    detail: `"${value}" is not a time zone this server knows`,
    fix: suggestion ? `use '${suggestion}'` : `use a zone name from pg_timezone_names such as 'UTC' or 'Europe/Paris', or an offset like 'UTC+3'`,
  };
}

/**
 * check_locale: which locales the image has cannot be known here (C, POSIX and C.UTF-8 it always
 * has), but any other locale name has the form language_TERRITORY[.codeset][@modifier].
 */
const LOCALE_FORM = /^(?:C|POSIX|C\.UTF-?8|C\.utf-?8|[a-z]{2,3}_[A-Z]{2}(?:\.[A-Za-z0-9_-]+)?(?:@[A-Za-z0-9_-]+)?)$/;
/** check_backtrace_functions: function names, commas and white space only. */
const BACKTRACE_FUNCTIONS = /^[0-9_A-Za-z, \n\t]*$/;
const LOCALE_PARAMETERS = new Set(['lc_messages', 'lc_monetary', 'lc_numeric', 'lc_time']);

/** The problem the server would report for `value` of string parameter `name` (lower case), if any. */
export function checkString(checks: StringChecks, name: string, value: string): StringProblem | undefined {
  if (value === '') {
    if (checks.emptyRejected.includes(name)) return { detail: 'the server refuses an empty value', fix: 'remove it from settings to keep the default, or give a value' };
    return undefined;
  }
  if (name === 'backtrace_functions') {
    // Not an identifier list: any run of names, commas and white space.
    if (BACKTRACE_FUNCTIONS.test(value)) return undefined;
    return { detail: 'invalid character: it takes C function names separated by commas', fix: "use function names such as 'errfinish, ExecInitNode'" };
  }
  const tokens = checks.tokens[name];
  if (tokens || checks.listSyntax.includes(name)) {
    const items = splitIdentifierList(value);
    if (!Array.isArray(items)) return items;
    if (tokens) {
      // check_datestyle matches EURO… and NONEURO… by prefix ('Europe/Paris' reads as DMY).
      const known = (item: string) => tokens.includes(item) || (name === 'datestyle' && /^(?:non)?euro/.test(item));
      const unknown = items.find((item) => !known(item.toLowerCase()));
      if (unknown !== undefined) {
        const suggestion = closestMatch(unknown, tokens);
        return { detail: `unrecognized key word "${unknown}"; allowed: ${tokens.join(', ')}`, fix: suggestion ? `use '${suggestion}'` : `use a comma-separated list of ${tokens.join(', ')}` };
      }
      if (name === 'datestyle') return checkDateStyle(items.map((item) => item.toLowerCase()));
    }
    return undefined;
  }
  if (name === 'timezone' || name === 'log_timezone') return checkTimeZone(name, value, checks.timeZones);
  if (name === 'client_encoding') {
    const clean = value.toLowerCase().replace(/[^a-z0-9]/g, '');
    if (checks.encodings.includes(clean)) return undefined;
    const suggestion = closestMatch(clean, checks.encodings);
    return { detail: `"${value}" is not an encoding this server knows`, fix: suggestion ? `use '${suggestion.toUpperCase()}'` : "use 'UTF8'" };
  }
  if (name === 'timezone_abbreviations' && !checks.timezoneAbbreviations.includes(value)) {
    return { detail: `there is no abbreviation file "${value}"; the server has ${checks.timezoneAbbreviations.join(', ')}`, fix: `use one of ${checks.timezoneAbbreviations.map((f) => `'${f}'`).join(', ')}` };
  }
  if (LOCALE_PARAMETERS.has(name) && !LOCALE_FORM.test(value)) {
    return { detail: `"${value}" is not a locale name`, fix: "use a locale such as 'C', 'C.UTF-8' or 'en_US.UTF-8' that the image has" };
  }
  return undefined;
}
