// Reads setting values the way PostgreSQL's guc.c does (parse_int, parse_real, parse_bool,
// convert_to_base_unit), so a value is accepted here exactly when the server accepts it.
import { isCSpace, rint, strtod, strtol0 } from './c-number.js';

export const MEMORY_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;
export const TIME_UNITS = ['us', 'ms', 's', 'min', 'h', 'd'] as const;
export type MemoryUnit = (typeof MEMORY_UNITS)[number];
export type TimeUnit = (typeof TIME_UNITS)[number];
export type UnitFamily = 'memory' | 'time';

const BYTES: Record<MemoryUnit, number> = { B: 1, kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };
const MICROSECONDS: Record<TimeUnit, number> = {
  us: 1, ms: 1e3, s: 1e6, min: 60e6, h: 3600e6, d: 86400e6,
};

/** guc.c reads at most this many characters of unit name. */
const MAX_UNIT_LEN = 3;
const INT_MAX = 2147483647;
const INT_MIN = -2147483648;

/** A pg_settings unit ("8kB", "kB", "MB", "B", "ms", "s", "min") as a size in bytes or microseconds. */
export interface BaseUnit {
  family: UnitFamily;
  /** Bytes (memory) or microseconds (time) in one base unit: 8192 for "8kB". */
  size: number;
  label: string;
}

export function baseUnitOf(unit: string | null): BaseUnit | null {
  if (unit === null) return null;
  if (unit in MICROSECONDS) return { family: 'time', size: MICROSECONDS[unit as TimeUnit], label: unit };
  const memory = /^(\d*)(B|kB|MB)$/.exec(unit);
  if (memory) return { family: 'memory', size: Number(memory[1] || 1) * BYTES[memory[2] as MemoryUnit], label: unit };
  throw new Error(`unsupported pg_settings unit "${unit}"`);
}

export function unitsOf(family: UnitFamily): readonly string[] {
  return family === 'memory' ? MEMORY_UNITS : TIME_UNITS;
}

function unitSize(family: UnitFamily, unit: string): number | undefined {
  const table: Record<string, number> = family === 'memory' ? BYTES : MICROSECONDS;
  return Object.hasOwn(table, unit) ? table[unit] : undefined;
}

/** The next smaller unit than `unit` in guc.c's conversion table order, if any. */
function nextSmaller(family: UnitFamily, unit: string): string | undefined {
  const units = unitsOf(family);
  const index = units.indexOf(unit);
  return index > 0 ? units[index - 1] : undefined;
}

/**
 * convert_to_base_unit: `value` of `unitText` (possibly followed by blanks) in base units, or null when
 * the unit is unknown, of the wrong family, or followed by other text. Fractions are first rounded to
 * a whole number of the next smaller unit ("30.1GB" to whole MB), as the server does.
 */
export function convertToBaseUnit(value: number, unitText: string, base: BaseUnit): number | null {
  let unit = '';
  let i = 0;
  while (i < unitText.length && !isCSpace(unitText[i]) && unit.length < MAX_UNIT_LEN) unit += unitText[i++];
  while (isCSpace(unitText[i])) i++;
  if (i < unitText.length) return null;
  const size = unitSize(base.family, unit);
  if (size === undefined) return null;
  // Single divisions of exact integers, like guc.c's table, so the doubles match the server's.
  const converted = value * (size / base.size);
  const smaller = nextSmaller(base.family, unit);
  if (smaller === undefined) return converted;
  const step = unitSize(base.family, smaller)! / base.size;
  return rint(converted / step) * step;
}

export type ParseProblem =
  /** Not a number at all (or NaN): the server says "invalid value". */
  | { kind: 'syntax' }
  /** A unit was given to a parameter that has none. */
  | { kind: 'unit-not-allowed'; unit: string }
  /** A unit the parameter does not know (wrong case, wrong family, garbage after it). */
  | { kind: 'bad-unit'; unit: string }
  /** Too large or too small to represent (integer overflow, or strtod's ERANGE). */
  | { kind: 'overflow' };

export type ParseResult = { ok: true; value: number } | { ok: false; problem: ParseProblem };

function parseUnitSuffix(value: number, text: string, end: number, base: BaseUnit | null): ParseResult {
  while (isCSpace(text[end])) end++;
  if (end === text.length) return { ok: true, value };
  const unit = text.slice(end).trim();
  if (base === null) return { ok: false, problem: { kind: 'unit-not-allowed', unit } };
  const converted = convertToBaseUnit(value, text.slice(end), base);
  return converted === null ? { ok: false, problem: { kind: 'bad-unit', unit } } : { ok: true, value: converted };
}

/** parse_int: integers (octal, hex, or fractional then rounded), with an optional unit, in base units. */
export function parseInteger(text: string, base: BaseUnit | null): ParseResult {
  let number = strtol0(text);
  const stop = text[number.end];
  if (stop === '.' || stop === 'e' || stop === 'E' || number.erange) number = strtod(text);
  if (number.end === 0) return { ok: false, problem: { kind: 'syntax' } };
  if (number.erange) return { ok: false, problem: { kind: 'overflow' } };
  if (Number.isNaN(number.value)) return { ok: false, problem: { kind: 'syntax' } };
  const parsed = parseUnitSuffix(number.value, text, number.end, base);
  if (!parsed.ok) return parsed;
  const rounded = rint(parsed.value);
  if (rounded > INT_MAX || rounded < INT_MIN) return { ok: false, problem: { kind: 'overflow' } };
  return { ok: true, value: rounded };
}

/** parse_real: floating point with an optional unit, in base units (infinities are left to range checks). */
export function parseReal(text: string, base: BaseUnit | null): ParseResult {
  const number = strtod(text);
  if (number.end === 0) return { ok: false, problem: { kind: 'syntax' } };
  if (number.erange) return { ok: false, problem: { kind: 'overflow' } };
  if (Number.isNaN(number.value)) return { ok: false, problem: { kind: 'syntax' } };
  return parseUnitSuffix(number.value, text, number.end, base);
}

/**
 * parse_bool: on, off, true, false, yes, no, 1, 0, and unique prefixes of the words, any case
 * ("t", "fa", "y"; "of" but not "o"). No surrounding blanks.
 */
export function parseBool(text: string): boolean | null {
  const lower = text.toLowerCase();
  const prefixOf = (word: string, minLength = 1) => lower.length >= minLength && word.startsWith(lower);
  switch (lower[0]) {
    case 't': return prefixOf('true') ? true : null;
    case 'f': return prefixOf('false') ? false : null;
    case 'y': return prefixOf('yes') ? true : null;
    case 'n': return prefixOf('no') ? false : null;
    case 'o': return prefixOf('on', 2) ? true : prefixOf('off', 2) ? false : null;
    case '1': return lower === '1' ? true : null;
    case '0': return lower === '0' ? false : null;
    default: return null;
  }
}

/** Enum values match case-insensitively and without trimming; returns the canonical spelling. */
export function lookupEnum(text: string, allowed: readonly string[]): string | null {
  const lower = text.toLowerCase();
  return allowed.find((value) => value.toLowerCase() === lower) ?? null;
}

/**
 * A base-unit amount in the largest unit that expresses it exactly: 16 × 8kB → "128kB",
 * 16777216 × kB → "16GB", 60 × s → "1min". Without a unit, the bare number.
 */
export function formatWithUnit(value: number, base: BaseUnit | null): string {
  if (base === null) return String(value);
  const total = value * base.size;
  if (value === 0) return '0';
  if (!Number.isInteger(total)) return /^\d/.test(base.label) ? `${value} × ${base.label}` : `${value}${base.label}`;
  const units = [...unitsOf(base.family)].reverse();
  const best = units.find((unit) => total % unitSize(base.family, unit)! === 0)!;
  return `${total / unitSize(base.family, best)!}${best}`;
}
