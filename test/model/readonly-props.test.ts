// Every props field is readonly (src/model/props-check.ts keeps it so): a config may pass
// `as const` objects and readonly arrays, and pgsynth changes nothing it is given.
import { describe, expect, it } from 'vitest';
import { Backup, Cluster, Haproxy, PgPool, Primary, Replica, secret, synthToMemory } from '../../src/index.js';

/** `value` frozen all the way down, except the constructs and secrets inside it. */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value) || Cluster.isCluster(value) || Primary.isPrimary(value) || Replica.isReplica(value) || PgPool.isPgPool(value)) return value;
  for (const nested of Object.values(value)) deepFreeze(nested);
  return Object.freeze(value);
}

describe('readonly props', () => {
  it('accept as-const and deeply frozen objects, which synthesis leaves as they were', () => {
    const clusterProps = deepFreeze({ name: 'shop', network: { subnet: '10.8.0.0/24' }, superuser: { password: secret('SHOP_SU_PASSWORD') } } as const);
    const cluster = new Cluster(clusterProps);
    const primaryProps = deepFreeze({ hostPort: 5611, extraSlots: ['backup_tool'], settings: { Work_Mem: '64MB' }, allowedClients: ['10.8.0.0/24'] } as const);
    const primary = new Primary(cluster, 'pg-primary', primaryProps);
    const replica = new Replica(cluster, 'pg-replica1', deepFreeze({ primary, hostPort: 5612 } as const));
    const backends = deepFreeze([primary, { node: replica, weight: 2 }] as const);
    const pgpool = new PgPool(cluster, 'pgpool', deepFreeze({ backends, hostPort: 9999, healthCheck: { period: 2 } } as const));
    new Haproxy(cluster, 'haproxy', deepFreeze({ upstream: pgpool, readWrite: { hostPort: 5100 }, timeouts: { queue: '10s' } } as const));
    new Haproxy(cluster, 'haproxy-direct', deepFreeze({ upstream: [primary, replica] as const, readWrite: { hostPort: 5200 } } as const));
    // (the compose target refuses a Backup for now, PGS196: it gets a cluster of its own)
    new Backup(new Cluster({ name: 'other' }), 'backup', deepFreeze({ retention: { full: 3 }, schedule: { incr: null } } as const));
    const before = JSON.stringify([clusterProps, primaryProps, backends.length, backends[1].weight]);

    const files = synthToMemory(cluster);

    expect(files['pg-primary/postgresql.conf']).toMatch(/^work_mem\s*=\s*'64MB'/m);
    expect(files['pgpool/pgpool.conf']).toMatch(/^backend_weight1\s*=\s*2$/m);
    expect(JSON.stringify([clusterProps, primaryProps, backends.length, backends[1].weight])).toBe(before);
    // The resolved props are zod's own copies: the settings name is lower-cased there, not in the caller's object.
    expect(primary.props.settings).toEqual({ work_mem: '64MB' });
    expect(Object.keys(primaryProps.settings)).toEqual(['Work_Mem']);
  });
});
