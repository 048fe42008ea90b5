import { describe, expect, it } from 'vitest';
import { readmeExample } from '../../fixtures/readme-example/cluster.config.js';

describe('the README example', () => {
  it('constructs and validates with no error on both targets; two warnings: its single sync standby and its single Pgpool-II', () => {
    const diagnostics = readmeExample().validate();
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(diagnostics.map((d) => `${d.severity} ${d.code} ${d.path}`)).toEqual(['warning PGS053 shop/pg-primary', 'warning PGS213 shop/pgpool']);
  });

  it('resolves derived values for compose', () => {
    const spec = readmeExample().resolve({ target: 'compose' });
    const [primary, r1, r2] = spec.postgres;
    expect(primary?.primary?.slots).toEqual(['pg_replica1', 'pg_replica2']);
    expect(primary?.primary?.synchronousStandbyNames).toBe('FIRST 1 ("pg-replica1")');
    expect(r1?.replica).toMatchObject({ applicationName: 'pg-replica1', slotName: 'pg_replica1', upstream: { host: 'pg-primary', port: 5432 } });
    expect(r2?.replica?.synchronous).toBe(false);
    expect(spec.pgpools[0]?.backends.map((b) => `${b.index}:${b.host}:${b.port}`)).toEqual([
      '0:pg-primary:5432',
      '1:pg-replica1:5432',
      '2:pg-replica2:5432',
    ]);
    expect(spec.haproxies[0]?.readWrite.servers).toEqual([{ name: 'pgpool', host: 'pgpool', port: 9999, check: 'pgpool', backup: false }]);
  });

  it('resolves the local address plan on host ports', () => {
    const spec = readmeExample().resolve({ target: 'local', localDir: '/tmp/x' });
    expect(spec.pgpools[0]?.backends.map((b) => `${b.host}:${b.port}`)).toEqual(['127.0.0.1:5611', '127.0.0.1:5612', '127.0.0.1:5613']);
    expect(spec.postgres[1]?.paths.dataDir).toBe('/tmp/x/pg-replica1/data');
  });
});
