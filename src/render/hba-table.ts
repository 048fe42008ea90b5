import type { HbaEntry } from '../model/spec.js';

// pg_hba.conf and pool_hba.conf share one layout: a header row, then each entry under the
// comment that says why it exists, columns padded to the widest cell.

const HEADER = ['# TYPE', 'DATABASE', 'USER', 'ADDRESS', 'METHOD'];

/**
 * The header and one block per entry (comment line, then its row), to be joined by blank lines.
 * `cells` gives an entry's five fields as written; each renderer quotes and checks them its way.
 */
export function hbaTable(entries: readonly HbaEntry[], cells: (entry: HbaEntry, index: number) => string[]): string[] {
  const rows = entries.map(cells);
  const widths = HEADER.map((title, col) => Math.max(title.length, ...rows.map((row) => row[col]!.length)));
  const line = (row: string[]) => row.map((cell, col) => (col === row.length - 1 ? cell : cell.padEnd(widths[col]!))).join('  ');
  return [line(HEADER), ...entries.map((entry, i) => `# ${entry.comment.replace(/[\0\n\r]/g, ' ')}\n${line(rows[i]!)}`)];
}
