import { MARKER_TEXT } from './marker.js';

/** One file the synthesizer wants on disk, as produced by a renderer. */
export interface GeneratedFile {
  /** Posix path relative to the output directory, e.g. `primary/postgresql.conf`. */
  path: string;
  content: string;
  /** Written with mode 0755 instead of 0644 (shell scripts). */
  executable?: boolean;
  /** Written with mode 0600 (passwords, pool_passwd, .pgpass). */
  secret?: boolean;
}

/** The order of generated paths everywhere (plain code-unit order, as the manifest stores them). */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The writer treats a file carrying the marker as its own even when the manifest has been lost. */
export function hasMarker(content: string): boolean {
  return content.includes(MARKER_TEXT);
}

/** The permission bits the writer gives a file: secrets are owner-only, scripts executable. */
export function fileMode(file: GeneratedFile): number {
  if (file.secret) return file.executable ? 0o700 : 0o600;
  return file.executable ? 0o755 : 0o644;
}
