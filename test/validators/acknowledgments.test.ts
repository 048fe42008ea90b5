import { describe, expect, it } from 'vitest';
import { shop } from './fixtures.js';

const codes = (cluster: { validate(): Array<{ code: string; severity: string; path: string; field: string }> }) =>
  cluster.validate().map((d) => `${d.severity} ${d.code} ${d.path} ${d.field}`);

describe('construct.acknowledge(code, reason)', () => {
  it('hides the acknowledged warning on that construct only', () => {
    const { cluster } = shop({ acceptSinglePgpool: false });
    expect(codes(cluster)).toEqual(['warning PGS213 shop/pgpool backends']);
    const again = shop();
    expect(codes(again.cluster)).toEqual([]);
  });

  it('refuses to acknowledge an error, or a code that is no rule (PGS002)', () => {
    const { cluster, primary, pgpool } = shop();
    primary.acknowledge('PGS010', 'two primaries are fine');
    pgpool!.acknowledge('PGS2l3', 'typo');
    const found = cluster.validate();
    expect(found.map((d) => `${d.severity} ${d.code} ${d.path} ${d.field}`)).toEqual([
      "error PGS002 shop/pg-primary acknowledge('PGS010')",
      "error PGS002 shop/pgpool acknowledge('PGS2l3')",
    ]);
    expect(found[0]?.message).toContain('an error cannot be acknowledged');
    expect(found[1]?.message).toContain('is not the code of a rule');
  });

  it('reports an acknowledgment no warning needs (PGS003), e.g. left over after a config change', () => {
    const { cluster, primary } = shop();
    primary.acknowledge('PGS053', 'a single synchronous standby is what we want');
    const [found] = cluster.validate();
    expect(found).toMatchObject({ code: 'PGS003', severity: 'warning', path: 'shop/pg-primary', field: "acknowledge('PGS053')" });
    expect(found?.source?.file).toContain('fixtures.ts');
  });

  it('hides a warning the construct does have once acknowledged, with the reason kept on the construct', () => {
    const { cluster, primary } = shop({ r1: { synchronous: true }, r2: false });
    expect(codes(cluster)).toContain('warning PGS053 shop/pg-primary synchronousStandbyNames');
    primary.acknowledge('PGS053', 'writes must wait for pg-replica1');
    expect(codes(cluster)).toEqual([]);
    expect(primary.acknowledged.get('PGS053')).toBe('writes must wait for pg-replica1');
  });
});
