// Quoting for values interpolated into generated shell scripts.

/**
 * One shell word that stands for exactly `value`, in the most readable safe form: bare when it
 * holds only characters the shell never interprets, else single-quoted, else (a value with an
 * apostrophe but nothing double quotes would expand) double-quoted, else single-quoted with each
 * `'` written as `'\''`. Refuses NUL, newline and carriage return: in a generated script they are
 * always a bug upstream, never data.
 */
export function shellQuote(value: string | number): string {
  const text = String(value);
  if (/[\0\n\r]/.test(text)) {
    throw new Error(`refusing to put ${JSON.stringify(text)} into a shell script: it contains a NUL, newline or carriage return`);
  }
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(text)) return text;
  if (!text.includes("'")) return `'${text}'`;
  if (!/["$`\\!]/.test(text)) return `"${text}"`;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** An environment variable name spliced into a script as `$NAME`: refused unless it is one. */
export function shellVariable(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`refusing ${JSON.stringify(name)} as a shell variable name`);
  return name;
}
