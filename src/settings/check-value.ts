// Whether a value suits a parameter of a major: type, enum values, unit, range, and the limits of
// the server's check hooks — read the way the server reads it.
import { enumValuesFor } from './build-options.js';
import { loadCatalog, type PostgresMajor, type SettingSpec } from './catalog.js';
import { checkString } from './check-strings.js';
import { checkHooks } from './check-hooks.js';
import { FORBIDDEN_VALUE_CHARACTERS, formatConfNumber } from './format.js';
import { SETTING_CODES, showValue, type SettingIssue, type SettingValue } from './issue.js';
import { closestMatch } from './suggest.js';
import {
  baseUnitOf, formatWithUnit, lookupEnum, parseBool, parseInteger, parseReal, unitsOf,
  type BaseUnit, type ParseProblem,
} from './units.js';

const CONTROL_CHARACTER_NAMES: Record<string, string> = {
  '\n': 'a line feed (\\n)',
  '\r': 'a carriage return (\\r)',
  '\0': 'a NUL character (\\0)',
};

const UNIT_WORDS: Record<string, string> = {
  B: 'bytes', kB: 'kilobytes', MB: 'megabytes', ms: 'milliseconds', s: 'seconds', min: 'minutes',
};

/** wal_level's pre-9.6 names: the server still maps them to replica, silently. */
const OBSOLETE_WAL_LEVELS = new Set(['archive', 'hot_standby']);

export function controlCharacterIssue(name: string, value: SettingValue): SettingIssue | undefined {
  if (typeof value !== 'string') return undefined;
  const found = FORBIDDEN_VALUE_CHARACTERS.exec(value);
  if (!found) return undefined;
  return {
    name,
    code: SETTING_CODES.controlCharacter,
    message: `"${name}" value contains ${CONTROL_CHARACTER_NAMES[found[0]]}, which cannot be written to postgresql.conf`,
    fix: 'remove the control character from the value',
  };
}

export function checkValue(major: PostgresMajor, spec: SettingSpec, value: SettingValue): SettingIssue[] {
  const controlCharacter = controlCharacterIssue(spec.name, value);
  if (controlCharacter) return [controlCharacter];
  const issue = (() => {
    switch (spec.type) {
      case 'bool': return checkBool(major, spec, value);
      case 'integer':
      case 'real': return checkNumber(major, spec, value);
      case 'enum': return checkEnum(major, spec, value);
      case 'string': return typeof value === 'string'
        ? stringIssue(major, spec, value) ?? hookIssue(major, spec, value, value)
        : wrongType(spec, value, 'a string', `write it as a string: '${String(value)}'`);
    }
  })();
  return issue ? [issue] : [];
}

function wrongType(spec: SettingSpec, value: SettingValue, expected: string, fix: string): SettingIssue {
  return { name: spec.name, code: SETTING_CODES.wrongType, message: `"${spec.name}" must be ${expected}; got ${showValue(value)}`, fix };
}

function checkBool(major: PostgresMajor, spec: SettingSpec, value: SettingValue): SettingIssue | undefined {
  const text = typeof value === 'number' && Number.isFinite(value) ? formatConfNumber(value) : String(value);
  const parsed = typeof value === 'boolean' ? value : parseBool(text);
  if (parsed === null) return wrongType(spec, value, 'a boolean (on/off, true/false, yes/no, 1/0)', 'use true or false');
  return hookIssue(major, spec, value, parsed);
}

function checkEnum(major: PostgresMajor, spec: SettingSpec, value: SettingValue): SettingIssue | undefined {
  const allowed = enumValuesFor(major, spec);
  const text = typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value);
  if (lookupEnum(text, allowed) !== null) return undefined;
  let fix: string;
  if (spec.name === 'wal_level' && OBSOLETE_WAL_LEVELS.has(text.toLowerCase())) {
    fix = "use 'replica'";
  } else {
    const closest = closestMatch(text, allowed);
    fix = closest ? `use '${closest}'` : `use one of: ${allowed.join(', ')}`;
  }
  return {
    name: spec.name,
    code: SETTING_CODES.badEnum,
    message: `"${spec.name}" does not accept ${showValue(value)} on PostgreSQL ${major}; allowed values: ${allowed.join(', ')}`,
    fix,
  };
}

function checkNumber(major: PostgresMajor, spec: SettingSpec, value: SettingValue): SettingIssue | undefined {
  const base = baseUnitOf(spec.unit);
  const text = typeof value === 'number' && Number.isFinite(value) ? formatConfNumber(value) : value;
  if (typeof text !== 'string') return wrongType(spec, value, expectedNumber(spec, base), numberFix(spec, base));
  const parsed = spec.type === 'integer' ? parseInteger(text, base) : parseReal(text, base);
  if (!parsed.ok) return parseIssue(major, spec, base, value, parsed.problem);
  if (parsed.value < spec.min! || parsed.value > spec.max!) {
    return rangeIssue(major, spec, base, value, `, got ${parsed.value}${unitSuffix(spec.unit)}`);
  }
  return hookIssue(major, spec, value, parsed.value);
}

function parseIssue(major: PostgresMajor, spec: SettingSpec, base: BaseUnit | null, value: SettingValue, problem: ParseProblem): SettingIssue {
  switch (problem.kind) {
    case 'syntax': return wrongType(spec, value, expectedNumber(spec, base), numberFix(spec, base));
    case 'unit-not-allowed': return wrongType(spec, value, `${expectedNumber(spec, base)} without a unit`, numberFix(spec, base));
    case 'overflow': return rangeIssue(major, spec, base, value, '');
    case 'bad-unit': return unitIssue(spec, base!, value, problem.unit);
  }
}

function expectedNumber(spec: SettingSpec, base: BaseUnit | null): string {
  if (base === null) return spec.type === 'integer' ? 'an integer' : 'a number';
  const of = UNIT_WORDS[base.label] ?? `${base.label} blocks`;
  const kind = base.family === 'memory' ? 'a memory size' : 'a duration';
  return `${kind} (a number of ${of}, or a number with a unit: ${unitsOf(base.family).join(', ')})`;
}

function numberFix(spec: SettingSpec, base: BaseUnit | null): string {
  if (base === null) return `use a ${spec.type === 'integer' ? 'whole number' : 'number'} from ${spec.minText} to ${spec.maxText}`;
  const boot = Number(spec.bootValue);
  const example = Number.isFinite(boot) && boot > 0 ? formatWithUnit(boot, base) : base.family === 'memory' ? '64MB' : '30s';
  return `use a number or a string like '${example}'`;
}

/** " kB", " ms", or " × 8kB" for block units, after a number. */
function unitSuffix(unit: string | null): string {
  if (unit === null) return '';
  return /^\d/.test(unit) ? ` × ${unit}` : ` ${unit}`;
}

function rangeIssue(major: PostgresMajor, spec: SettingSpec, base: BaseUnit | null, value: SettingValue, got: string): SettingIssue {
  const suffix = unitSuffix(spec.unit);
  const bounds = base === null
    ? `${spec.minText} to ${spec.maxText}`
    : `${formatWithUnit(spec.min!, base)} to ${formatWithUnit(spec.max!, base)}`;
  return {
    name: spec.name,
    code: SETTING_CODES.outOfRange,
    message: `"${spec.name}" = ${showValue(value)} is out of range for PostgreSQL ${major}: allowed ${spec.minText}..${spec.maxText}${suffix}${got}`,
    fix: `use a value from ${bounds}`,
  };
}

function unitIssue(spec: SettingSpec, base: BaseUnit, value: SettingValue, unit: string): SettingIssue {
  const units = unitsOf(base.family);
  const otherFamily = unitsOf(base.family === 'memory' ? 'time' : 'memory');
  const sameLetters = units.find((u) => u.toLowerCase() === unit.toLowerCase());
  let fix: string;
  if (sameLetters) fix = `write the unit as "${sameLetters}" (units are case-sensitive)`;
  else if (otherFamily.includes(unit)) fix = `"${spec.name}" is ${base.family === 'memory' ? 'a memory size, not a duration' : 'a duration, not a memory size'}: use one of ${units.join(', ')}`;
  else fix = `use one of ${units.join(', ')}`;
  return {
    name: spec.name,
    code: SETTING_CODES.badUnit,
    message: `"${spec.name}" = ${showValue(value)} has an invalid unit ${JSON.stringify(unit)}; valid units are ${units.join(', ')}`,
    fix,
  };
}

const HOOK_WORDING = {
  'out-of-range': { code: SETTING_CODES.outOfRange, verdict: (major: PostgresMajor) => `is out of range for PostgreSQL ${major}` },
  invalid: { code: SETTING_CODES.wrongType, verdict: () => 'is invalid' },
  unsupported: { code: SETTING_CODES.unsupportedByBuild, verdict: () => 'is not supported' },
} as const;

function hookIssue(major: PostgresMajor, spec: SettingSpec, value: SettingValue, parsed: number | boolean | string): SettingIssue | undefined {
  const problem = checkHooks(major, spec.name, parsed);
  if (!problem) return undefined;
  const wording = HOOK_WORDING[problem.kind];
  const message = `"${spec.name}" = ${showValue(value)} ${wording.verdict(major)}: ${problem.detail}`;
  return { name: spec.name, code: wording.code, message, fix: problem.fix };
}

function stringIssue(major: PostgresMajor, spec: SettingSpec, value: string): SettingIssue | undefined {
  const checks = loadCatalog(major).strings;
  const problem = checks ? checkString(checks, spec.name.toLowerCase(), value) : undefined;
  if (!problem) return undefined;
  return { name: spec.name, code: SETTING_CODES.wrongType, message: `"${spec.name}" = ${showValue(value)} is invalid on PostgreSQL ${major}: ${problem.detail}`, fix: problem.fix };
}
