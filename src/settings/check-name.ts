// Whether a parameter name can be set on a major: known, read-only, owned by pgsynth, from another
// major, or misspelt.
import { findSetting, loadCatalog, SUPPORTED_MAJORS, type PostgresMajor, type SettingSpec } from './catalog.js';
import { controlledSetting, type ControlledSetting } from './controlled.js';
import { SETTING_CODES, type SettingIssue } from './issue.js';
import { predecessorOf, removedSetting } from './removed.js';
import { closestMatch } from './suggest.js';

/**
 * Extension parameters ("pg_stat_statements.max") are not in the catalogs; the server accepts any
 * such two-part name in postgresql.conf as a placeholder, so only its form is checked.
 */
const CUSTOM_PARAMETER = /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/;

export interface NameCheck {
  /** The catalog entry, when the major has the parameter. */
  spec?: SettingSpec;
  issue?: SettingIssue;
  /** The server decides whether the value makes sense: true for read-only and unknown names. */
  skipValueChecks: boolean;
}

export function isCustomParameter(name: string): boolean {
  return CUSTOM_PARAMETER.test(name);
}

/**
 * Parameters the caller's renderer writes itself, by lower-case name: refused like the
 * controlled ones, whose entries (with the option to use instead) take precedence.
 */
export type WrittenByPgsynth = (lowerCaseName: string) => ControlledSetting | undefined;

export function checkName(major: PostgresMajor, name: string, written?: WrittenByPgsynth): NameCheck {
  const spec = findSetting(loadCatalog(major), name);
  if (spec) {
    const lower = spec.name.toLowerCase();
    const controlled = controlledSetting(lower) ?? written?.(lower);
    if (controlled) {
      const fix = controlled.option ? `remove it from settings and use \`${controlled.option}\`` : 'remove it from settings';
      const message = `"${name}" cannot be set in settings: ${controlled.reason}`;
      return { spec, issue: { name, code: SETTING_CODES.controlled, message, fix }, skipValueChecks: false };
    }
    if (spec.context === 'internal') {
      const message = `"${name}" is read-only on PostgreSQL ${major}: it reports how the server was built or initialized`;
      return { spec, issue: { name, code: SETTING_CODES.readOnly, message, fix: 'remove it from settings' }, skipValueChecks: true };
    }
    return { spec, skipValueChecks: false };
  }
  if (isCustomParameter(name)) return { skipValueChecks: true };
  return { issue: otherMajorIssue(major, name) ?? unknownIssue(major, name), skipValueChecks: true };
}

function majorsHaving(name: string): PostgresMajor[] {
  return SUPPORTED_MAJORS.filter((major) => findSetting(loadCatalog(major), name) !== undefined);
}

/** "16 or later" when the list runs to the newest supported major, else "13, 14". */
function targetPhrase(majors: PostgresMajor[]): string {
  const newest = SUPPORTED_MAJORS[SUPPORTED_MAJORS.length - 1]!;
  const first = majors[0]!;
  const contiguousToNewest = majors.length === newest - first + 1 && majors[majors.length - 1] === newest;
  if (contiguousToNewest && majors.length > 1) return `${first} or later`;
  return majors.join(' or ');
}

function otherMajorIssue(major: PostgresMajor, name: string): SettingIssue | undefined {
  const elsewhere = majorsHaving(name);
  const removed = removedSetting(name.toLowerCase());
  const removedHere = removed !== undefined && Number(removed.removedIn) <= major;
  if (elsewhere.length === 0 && !removedHere) return undefined;
  const where = elsewhere.length > 0 ? `it exists in PostgreSQL ${elsewhere.join(', ')}` : '';
  let message = `"${name}" does not exist in PostgreSQL ${major}: `;
  if (removedHere) message += `it was removed in PostgreSQL ${removed.removedIn}${where ? ` (${where})` : ''}`;
  else message += where;
  let fix: string;
  if (removedHere) {
    fix = removed.advice;
  } else {
    const predecessor = predecessorOf(name.toLowerCase());
    const alternative = predecessor && findSetting(loadCatalog(major), predecessor) ? `use "${predecessor}" on PostgreSQL ${major}` : 'remove it';
    fix = `${alternative}, or target PostgreSQL ${targetPhrase(elsewhere)}`;
  }
  return { name, code: SETTING_CODES.otherMajor, message, fix };
}

function unknownIssue(major: PostgresMajor, name: string): SettingIssue {
  // Suggested in lower case, as the generated types and postgresql.conf conventionally spell them.
  const suggestion = closestMatch(name, loadCatalog(major).settings.keys())?.toLowerCase();
  const message = `unknown parameter "${name}" for PostgreSQL ${major}` + (suggestion ? `; did you mean "${suggestion}"?` : '');
  const fix = suggestion
    ? `rename it to "${suggestion}"`
    : `remove it, or check the name against the PostgreSQL ${major} documentation (extension parameters need their prefix, e.g. "pg_stat_statements.max")`;
  return { name, code: SETTING_CODES.unknown, message, fix };
}
