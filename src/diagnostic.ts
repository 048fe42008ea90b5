import { hasBrand, setBrand } from './brand.js';

/** Where in the user's config a construct was created (1-based line and column). */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export type Severity = 'error' | 'warning';

/**
 * One problem found in a cluster config. The shape follows zod v4's issues (`code`, `path`,
 * `message`) plus what a compiler-style report needs: the construct path that names the node,
 * the field inside its props, a fix, and where the construct was created.
 */
export interface Diagnostic {
  /** Stable rule code, e.g. `PGS012`. `docs/rules.md` explains each one. */
  code: string;
  severity: Severity;
  /** Construct path of the node at fault, e.g. `shop/pg-replica2`. */
  path: string;
  /** Field inside the node's props, e.g. `maxReplicationSlots` or `settings.work_mem`. */
  field: string;
  message: string;
  /** What to change to make the problem go away. */
  fix: string;
  /** Where the construct was created in the user's config, when it could be captured. */
  source?: SourceLocation;
}

/**
 * Text safe to print on a terminal: control characters (an ANSI escape or a newline inside a slot
 * name) are shown as \u001b-style escapes, so a value can neither repaint the screen nor forge a
 * line. `keepNewlines` keeps the line breaks of multi-line messages pgsynth writes itself.
 */
export function printable(text: string, keepNewlines = false): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) =>
    keepNewlines && (c === '\n' || c === '\t') ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Formats a diagnostic on one line the way compilers do, followed by its fix. */
export function formatDiagnostic(d: Diagnostic, cwd = process.cwd()): string {
  const where = d.source ? `${printable(relativeTo(cwd, d.source.file))}:${d.source.line}:${d.source.column} ` : '';
  const field = d.field ? ` ${printable(d.field)}` : '';
  return `${where}${d.severity} ${d.code} ${printable(d.path)}${field}: ${printable(d.message)}\n  fix: ${printable(d.fix)}`;
}

function relativeTo(cwd: string, file: string): string {
  const prefix = cwd.endsWith('/') ? cwd : `${cwd}/`;
  return file.startsWith(prefix) ? file.slice(prefix.length) : file;
}

/**
 * Thrown for mistakes in the user's config. It carries every diagnostic found so one run shows
 * them all; the CLI prints them without a stack trace.
 */
export class PgsynthError extends Error {
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
    this.name = 'PgsynthError';
    this.diagnostics = diagnostics;
    setBrand(this, 'PgsynthError');
  }
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Brand-checked: a config loaded through jiti may throw another copy's PgsynthError. */
export function isPgsynthError(error: unknown): error is PgsynthError {
  return hasBrand(error, 'PgsynthError');
}
