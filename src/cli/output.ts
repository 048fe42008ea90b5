import { formatDiagnostic, type Diagnostic } from '../diagnostic.js';

/** Writes to stdout/stderr with color only on a TTY and when NO_COLOR is unset. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
  color: boolean;
}

export function consoleOutput(): Output {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  };
}

const paint = (on: boolean, code: number, text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);
export const red = (o: Output, t: string) => paint(o.color, 31, t);
export const yellow = (o: Output, t: string) => paint(o.color, 33, t);
export const green = (o: Output, t: string) => paint(o.color, 32, t);
export const dim = (o: Output, t: string) => paint(o.color, 2, t);

/** Prints diagnostics like a compiler, then a summary line. Returns the number of errors. */
export function printDiagnostics(o: Output, diagnostics: readonly Diagnostic[]): number {
  for (const d of diagnostics) {
    const [head = '', fix = ''] = formatDiagnostic(d).split('\n');
    const colored = head.replace(/ (error|warning) /, (m, sev: string) => ` ${sev === 'error' ? red(o, sev) : yellow(o, sev)} `);
    o.out(colored);
    o.out(dim(o, fix));
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  if (diagnostics.length) o.out(`${plural(errors, 'error')}, ${plural(warnings, 'warning')}`);
  return errors;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
