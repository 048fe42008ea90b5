// How setting values are written into postgresql.conf. The server's config lexer (guc-file.l) reads
// bare integers and decimals, and single-quoted strings in which '' is a quote and \ starts an escape.

/** Characters that would end or corrupt a configuration line. */
export const FORBIDDEN_VALUE_CHARACTERS = /[\n\r\0]/;

/**
 * A string as a postgresql.conf value: single-quoted, ' doubled, and \ doubled (the server reads
 * '\n', '\t', '\b' … inside quotes as escapes, so a lone backslash would change the value).
 * Throws on line feed, carriage return and NUL, which no quoting can carry.
 */
export function quoteConfString(s: string): string {
  if (FORBIDDEN_VALUE_CHARACTERS.test(s)) {
    throw new Error(`a configuration value cannot contain a line feed, carriage return or NUL: ${JSON.stringify(s)}`);
  }
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * A finite number in a form the config lexer reads as one token: JavaScript writes 1e-7 and 1e+21,
 * which the lexer splits after "1e", so a ".0" goes before the exponent.
 */
export function formatConfNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`a configuration value must be a finite number, got ${n}`);
  return String(n).replace(/^(-?\d+)(e[-+]\d+)$/, '$1.0$2');
}
