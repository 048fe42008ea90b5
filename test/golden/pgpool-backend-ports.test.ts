import { describe, expect, it } from 'vitest';
import { Cluster, PgPool, Primary, Replica, synthToMemory } from '../../src/index.js';
import { loadFixture } from './fixtures.js';

// A common compose setup points Pgpool at the replicas' published ports (postgres-replica-1:5433,
// postgres-replica-2:5434); inside the compose network they listen on 5432.
describe('Pgpool backends at published ports (fixture pgpool-load-balance)', () => {
  it('is rejected when written with its published-port backends', () => {
    const cluster = new Cluster({ name: 'pgpool-lb', postgresVersion: 17 });
    const primary = new Primary(cluster, 'postgres', { hostPort: 5432 });
    new Replica(cluster, 'postgres-replica-1', { primary, hostPort: 5433 });
    new Replica(cluster, 'postgres-replica-2', { primary, hostPort: 5434 });
    new PgPool(cluster, 'pgpool', {
      hostPort: 9999,
      backends: [
        { host: 'postgres', port: 5432 },
        { host: 'postgres-replica-1', port: 5433 },
        { host: 'postgres-replica-2', port: 5434 },
      ],
    });
    const compose = cluster.validate({ targets: ['compose'] }).filter((d) => d.code === 'PGS100');
    expect(compose.map((d) => `${d.path} ${d.field}: ${d.message}`)).toEqual([
      'pgpool-lb/pgpool backends[1]: backend 1 points at postgres-replica-1:5433, the port published on the host; on the compose target pgpool-lb/postgres-replica-1 is reached at postgres-replica-1:5432',
      'pgpool-lb/pgpool backends[2]: backend 2 points at postgres-replica-2:5434, the port published on the host; on the compose target pgpool-lb/postgres-replica-2 is reached at postgres-replica-2:5432',
    ]);
    expect(() => synthToMemory(cluster)).toThrow(/PGS100/);
  });

  it('built from the builders, synthesizes backends at the ports the nodes listen on', async () => {
    const files = synthToMemory(await loadFixture('pgpool-load-balance'));
    const backends = files['pgpool/pgpool.conf']!.split('\n').filter((l) => /^backend_(hostname|port)\d/.test(l));
    expect(backends.map((l) => l.replace(/\s+/g, ' '))).toEqual([
      "backend_hostname0 = 'postgres'",
      'backend_port0 = 5432',
      "backend_hostname1 = 'postgres-replica-1'",
      'backend_port1 = 5432',
      "backend_hostname2 = 'postgres-replica-2'",
      'backend_port2 = 5432',
    ]);
    expect(files['docker-compose.yml']).toContain('"127.0.0.1:5433:5432"');
  });
});
