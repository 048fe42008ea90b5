import { describe, expect, it } from 'vitest';
import { readmeExample } from '../../fixtures/readme-example/cluster.config.js';
import { hasErrors } from '../../src/index.js';

describe('the README example under every rule', () => {
  const diagnostics = readmeExample().validate();

  it('has no errors', () => {
    expect(hasErrors(diagnostics)).toBe(false);
  });

  it('warns twice: its single synchronous standby blocks commits while it is down, and its one Pgpool-II is a single point of failure', () => {
    expect(diagnostics.map((d) => `${d.severity} ${d.code} ${d.path}`)).toEqual(['warning PGS053 shop/pg-primary', 'warning PGS213 shop/pgpool']);
    const [warning] = diagnostics;
    expect(warning).toMatchObject({ code: 'PGS053', severity: 'warning', path: 'shop/pg-primary', field: 'synchronousStandbyNames' });
    expect(warning?.message).toContain('\'FIRST 1 ("pg-replica1")\' (derived from synchronous: true) has 1 candidate for 1 synchronous standby');
    expect(warning?.fix).toContain('synchronousStandbyNames: \'ANY 1 ("pg-replica1", "pg-replica2")\'');
    expect(warning?.source?.file.endsWith('fixtures/readme-example/cluster.config.ts')).toBe(true);
    expect(warning?.source?.line).toBe(6);
  });
});
