import { parseStandbyNames, standbyNameMatches } from '../standby-names.js';

/** Names in synchronous_standby_names are identifiers; anything else (a hyphen) is double-quoted. */
export function quoteStandbyName(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) && !/^(first|any)$/i.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/**
 * synchronous_standby_names for a primary whose listed standbys are `synchronous: true`:
 * priority-based (`FIRST n`), waiting for all of them; '' (asynchronous) when there are none.
 */
export function deriveSynchronousStandbyNames(applicationNames: string[]): string {
  return applicationNames.length ? `FIRST ${applicationNames.length} (${applicationNames.map(quoteStandbyName).join(', ')})` : '';
}

/**
 * synchronous_standby_names for a standby once it is promoted: the same rule, with the promoted
 * standby's seat given to the initial primary (which rejoins as a standby). `*` and the count
 * stay; a list left without names yields '' (nothing to wait for).
 */
export function namesWhenPromoted(primaryNames: string, promoted: string, initialPrimary: string): string {
  const parsed = parseStandbyNames(primaryNames);
  if (!parsed.ok || parsed.value === null) return primaryNames;
  const { method, num, names } = parsed.value;
  const seats = names.map((n) => (n !== '*' && standbyNameMatches(n, promoted) ? initialPrimary : n));
  const unique = seats.filter((n, i) => seats.findIndex((m) => m.toLowerCase() === n.toLowerCase()) === i);
  if (unique.length === 0) return '';
  return `${method} ${Math.min(num, unique.length)} (${unique.map((n) => (n === '*' ? n : quoteStandbyName(n))).join(', ')})`;
}
