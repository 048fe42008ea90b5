// Character and name checks shared by the rules about values that reach generated files.

/** Characters that break a single-quoted postgresql.conf/pgpool.conf value or a shell script line. */
const FORBIDDEN: ReadonlyArray<[string, string]> = [
  ['\n', 'a newline'],
  ['\r', 'a carriage return'],
  ['\u0000', 'a NUL byte'],
  ["'", 'a single quote'],
  ['\\', 'a backslash'],
];

/** The name of the first character that cannot be written inside a quoted config value, or null. */
export function forbiddenCharacter(value: string): string | null {
  for (const [char, name] of FORBIDDEN) if (value.includes(char)) return name;
  return null;
}

const DNS_LABEL = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function isDnsLabel(value: string): boolean {
  return DNS_LABEL.test(value);
}

export function byteLength(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

/** A character for messages: printable ones as themselves, others as U+XXXX. */
export function describeCharacter(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code >= 0x20 && code < 0x7f ? `'${char}'` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
