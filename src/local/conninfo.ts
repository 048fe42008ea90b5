/**
 * libpq keyword/value connection strings. Values are always single-quoted,
 * with backslashes and quotes escaped, so spaces and quotes survive.
 */
export function formatConninfo(params: Record<string, string | number | undefined>): string {
  return Object.entries(params)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]) => `${key}='${String(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`)
    .join(' ');
}
