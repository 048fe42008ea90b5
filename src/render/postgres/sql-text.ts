// SQL text built from spec values: literals quoted, comments kept on their line.

/**
 * A SQL string literal, as PostgreSQL's quote_literal writes it: quotes doubled, and the E''
 * form when a backslash must survive regardless of standard_conforming_strings.
 */
export function sqlLiteral(value: string): string {
  if (value.includes('\0')) throw new Error(`refusing to write a NUL byte into SQL: ${JSON.stringify(value)}`);
  const quoted = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

/** A SQL identifier, double-quoted with quotes doubled, as quote_ident writes it when it must. */
export function sqlIdentifier(name: string): string {
  if (name.includes('\0')) throw new Error(`refusing to write a NUL byte into SQL: ${JSON.stringify(name)}`);
  return `"${name.replace(/"/g, '""')}"`;
}

/** A `--` comment line; a line break would turn the rest of the text into SQL, so it is refused. */
export function sqlComment(text: string): string {
  if (/[\0\n\r]/.test(text)) throw new Error(`refusing to write a SQL comment with a line break: ${JSON.stringify(text)}`);
  return `-- ${text}`;
}
