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
