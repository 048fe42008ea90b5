// The shape of a problem found in `settings`, and the stable codes.

export type SettingValue = string | number | boolean;

export interface SettingIssue {
  name: string;
  code: string;
  message: string;
  fix: string;
}

export const SETTING_CODES = {
  unknown: 'PGS301',
  wrongType: 'PGS302',
  badEnum: 'PGS303',
  outOfRange: 'PGS304',
  badUnit: 'PGS305',
  otherMajor: 'PGS306',
  controlled: 'PGS307',
  controlCharacter: 'PGS308',
  readOnly: 'PGS309',
  unsupportedByBuild: 'PGS310',
  conflict: 'PGS311',
} as const;

/** A value as it appears in messages: strings in double quotes (like the server's), others bare. */
export function showValue(value: SettingValue): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
