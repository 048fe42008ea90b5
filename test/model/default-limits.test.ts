import { describe, expect, it } from 'vitest';
import { Cluster, PgPool, Primary, Replica } from '../../src/index.js';

// Unless set, max_connections is sized from the Pgpools in front (Pgpool's bound
// num_init_children × max_pool, + 2 checks each) plus the reserved slots, so defaults validate.
describe('default max_connections', () => {
  const build = (version: 15 | 16, settings: Record<string, number> = {}, pools = 1) => {
    const cluster = new Cluster({ name: 'shop', postgresVersion: version });
    const primary = new Primary(cluster, 'pg-primary', { hostPort: 5611, settings });
    const replica = new Replica(cluster, 'pg-replica1', { primary, hostPort: 5612 });
    for (let i = 0; i < pools; i++) new PgPool(cluster, `pgpool${i}`, { backends: [primary, replica], hostPort: 9999 + i * 2, pcpPort: 9898 - i });
    return cluster;
  };

  it('is 100 without a Pgpool', () => {
    const cluster = new Cluster({ name: 'shop', postgresVersion: 15 });
    new Primary(cluster, 'pg-primary', { hostPort: 5611 });
    expect(cluster.resolve().postgres[0]?.limits.maxConnections).toBe(100);
  });

  it('covers one Pgpool: 32 × 4 + 2 + 3 reserved + 10, rounded up to tens', () => {
    const spec = build(15).resolve();
    expect(spec.postgres.map((n) => n.limits.maxConnections)).toEqual([150, 150]);
  });

  it('adds up several Pgpools and reserved_connections on 16+', () => {
    expect(build(15, {}, 2).resolve().postgres[0]?.limits.maxConnections).toBe(280);
    expect(build(16, { reserved_connections: 20 }).resolve().postgres[0]?.limits.maxConnections).toBe(170);
    for (const cluster of [build(15, {}, 2), build(16, { reserved_connections: 20 })]) {
      expect(cluster.validate().filter((d) => d.severity === 'error')).toEqual([]);
    }
  });
});

describe('the application database', () => {
  it('cannot be a built-in database, which the bootstrap would not create for its owner', () => {
    const cluster = new Cluster({ name: 'shop', postgresVersion: 15 });
    expect(() => new Primary(cluster, 'pg-primary', { hostPort: 5611, database: 'postgres' })).toThrow(
      /PGS001 shop\/pg-primary database: must not be postgres, template0 or template1/,
    );
  });
});
