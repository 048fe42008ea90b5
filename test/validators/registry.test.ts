import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/index.js';

/** Code ranges this registry may use (PGS001 is props errors, PGS3xx settings, PGS9xx the writer). */
const RANGES: Array<[number, number]> = [
  [10, 49],
  [50, 69],
  [70, 89],
  [90, 99],
  [100, 139],
  [140, 169],
  [170, 189],
  [210, 229],
  [190, 209],
];

describe('the rule registry', () => {
  it('lists every code once, in code order', () => {
    const codes = RULES.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toEqual([...codes].sort());
  });

  it('keeps every code inside the ranges of cross-field rules', () => {
    for (const rule of RULES) {
      const n = Number(rule.code.slice(3));
      expect(RANGES.some(([lo, hi]) => n >= lo && n <= hi), rule.code).toBe(true);
    }
  });

  it('documents every rule: title, why, concrete fix and an example', () => {
    for (const rule of RULES) {
      expect(rule.title.length, rule.code).toBeGreaterThan(10);
      expect(rule.why.length, rule.code).toBeGreaterThan(60);
      expect(rule.fix.length, rule.code).toBeGreaterThan(10);
      expect(rule.example, rule.code).toMatch(/new (Cluster|Primary|Replica|PgPool|Haproxy|Backup)\(|validate\(/);
    }
  });

  it('keeps target-specific rules to one target', () => {
    const narrowed = RULES.filter((r) => r.targets).map((r) => `${r.code}:${r.targets?.join(',')}`);
    expect(narrowed).toEqual(['PGS024:compose', 'PGS075:compose', 'PGS093:compose', 'PGS094:compose', 'PGS113:compose', 'PGS170:compose', 'PGS171:local', 'PGS172:compose', 'PGS173:local', 'PGS174:compose', 'PGS196:compose', 'PGS197:compose']);
  });
});
