// The public entry points for user-supplied PostgreSQL settings: validate them against the real
// server's catalog of a major, and write them into postgresql.conf.
import type { PostgresMajor } from './catalog.js';
import { checkCombinations } from './check-combinations.js';
import { checkName, type WrittenByPgsynth } from './check-name.js';
import { checkValue, controlCharacterIssue } from './check-value.js';
import { SETTING_CODES, showValue, type SettingIssue, type SettingValue } from './issue.js';
import type { SettingsFor } from './types.generated.js';

export { quoteConfString } from './format.js';
export { checkCombinations } from './check-combinations.js';
export { CONTROLLED_SETTINGS, type ControlledSetting } from './controlled.js';
export type { WrittenByPgsynth } from './check-name.js';
export { SETTING_CODES, type SettingIssue, type SettingValue } from './issue.js';

/** Plain records, or the generated per-major types (whose properties may hold undefined: not set). */
export type SettingsInput = Readonly<Record<string, SettingValue | undefined>> | SettingsFor<PostgresMajor>;

/**
 * Every problem with `settings` on PostgreSQL `major`, in the order the settings were given
 * (a setting can have two: a parameter pgsynth owns, given a value it would refuse anyway),
 * then the combinations the server refuses.
 * An empty list means each value, written with confValue (src/render/conf-writer.ts), is accepted by that server.
 * `written` names the parameters the caller writes itself, refused like the controlled ones.
 */
export function validateSettings(major: PostgresMajor, settings: SettingsInput, written?: WrittenByPgsynth): SettingIssue[] {
  const given = Object.entries(settings as Record<string, SettingValue | undefined>)
    .filter((entry): entry is [string, SettingValue] => entry[1] !== undefined);
  const issues = given.flatMap(([name, value]) => validateSetting(major, name, value, written));
  // Combinations only among settings that are fine on their own, so nothing is reported twice.
  const flagged = new Set(issues.map((issue) => issue.name));
  const sound = Object.fromEntries(given.filter(([name]) => !flagged.has(name)));
  return [...issues, ...checkCombinations(major, sound)];
}

function validateSetting(major: PostgresMajor, name: string, value: SettingValue, written?: WrittenByPgsynth): SettingIssue[] {
  const named = checkName(major, name, written);
  const issues = named.issue ? [named.issue] : [];
  if (named.spec && !named.skipValueChecks) return [...issues, ...checkValue(major, named.spec, value)];
  const controlCharacter = controlCharacterIssue(name, value);
  if (controlCharacter) issues.push(controlCharacter);
  if (!named.spec && typeof value === 'number' && !Number.isFinite(value)) {
    // An extension parameter is not checked, but no configuration line can hold NaN or infinity.
    issues.push({ name, code: SETTING_CODES.wrongType, message: `"${name}" must be a finite number; got ${showValue(value)}`, fix: 'use a finite number' });
  }
  return issues;
}

/**
 * The checks of one value against a parameter's definition, without asking whether users may set
 * the parameter: for the typed options that own controlled parameters (maxConnections → max_connections).
 */
export function checkSettingValue(major: PostgresMajor, name: string, value: SettingValue): SettingIssue[] {
  const named = checkName(major, name);
  if (!named.spec) return named.issue ? [named.issue] : [];
  return checkValue(major, named.spec, value);
}
