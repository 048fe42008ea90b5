// libpq keyword/value connection strings, for the rendered primary_conninfo and for the tools
// `synth up` runs (pg_basebackup --dbname): one quoting rule.

/** A libpq keyword value: bare when it can be, else single-quoted with `\` and `'` escaped. */
export function conninfoValue(value: string | number): string {
  const text = String(value);
  if (/^[^\s'\\]+$/.test(text)) return text;
  return `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** `key=value …` in the given order; undefined and empty values are left out. */
export function formatConninfo(params: Record<string, string | number | undefined>): string {
  return Object.entries(params)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]) => `${key}=${conninfoValue(value)}`)
    .join(' ');
}
