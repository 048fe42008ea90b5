import { describe, expect, it } from 'vitest';
import { printDiagnostics, type Output } from '../../src/cli/output.js';
import type { Diagnostic } from '../../src/index.js';

const diagnostic: Diagnostic = {
  code: 'PGS012',
  severity: 'error',
  path: 'shop/pg-primary',
  field: 'maxReplicationSlots',
  message: 'needs 3 replication slots',
  fix: 'set maxReplicationSlots to at least 3',
  source: { file: `${process.cwd()}/cluster.config.ts`, line: 4, column: 17 },
};

function capture(color: boolean): { lines: string[]; output: Output } {
  const lines: string[] = [];
  return { lines, output: { out: (l) => lines.push(l), err: (l) => lines.push(l), color } };
}

describe('diagnostic output', () => {
  it('is plain text when not on a terminal', () => {
    const { lines, output } = capture(false);
    expect(printDiagnostics(output, [diagnostic])).toBe(1);
    expect(lines).toEqual([
      'cluster.config.ts:4:17 error PGS012 shop/pg-primary maxReplicationSlots: needs 3 replication slots',
      '  fix: set maxReplicationSlots to at least 3',
      '1 error, 0 warnings',
    ]);
  });

  it('colors the severity and dims the fix on a terminal', () => {
    const { lines, output } = capture(true);
    printDiagnostics(output, [diagnostic, { ...diagnostic, severity: 'warning' }]);
    expect(lines[0]).toBe('cluster.config.ts:4:17 \u001b[31merror\u001b[0m PGS012 shop/pg-primary maxReplicationSlots: needs 3 replication slots');
    expect(lines[1]).toBe('\u001b[2m  fix: set maxReplicationSlots to at least 3\u001b[0m');
    expect(lines[2]).toContain('\u001b[33mwarning\u001b[0m');
    expect(lines.at(-1)).toBe('1 error, 1 warning');
  });
});
