import { describe, expect, it } from 'vitest';
import { Cluster, Haproxy, PgPool, Primary, Replica, type HaproxyProps, type PgPoolProps } from '../../src/index.js';
import { sessionCeilings } from '../../src/model/ceilings.js';

// The session ceiling of every entry point, derived in one place (src/model/ceilings.ts).
function readme(pool: Partial<PgPoolProps> = {}, proxy: Partial<HaproxyProps> = {}) {
  const cluster = new Cluster({ name: 'shop', postgresVersion: 15 });
  const primary = new Primary(cluster, 'pg-primary', { hostPort: 5611, database: 'app' });
  const r1 = new Replica(cluster, 'pg-replica1', { primary, hostPort: 5612 });
  const r2 = new Replica(cluster, 'pg-replica2', { primary, hostPort: 5613 });
  const pgpool = new PgPool(cluster, 'pgpool', { backends: [primary, r1, r2], hostPort: 9999, ...pool });
  new Haproxy(cluster, 'haproxy', { upstream: pgpool, readWrite: { hostPort: 5100 }, readOnly: { hostPort: 5101 }, ...proxy });
  return cluster;
}

const table = (cluster: Cluster) => Object.fromEntries(sessionCeilings(cluster.resolve()).map((c) => [`${c.id} ${c.entry}`, c.sessions]));

describe('session ceilings', () => {
  it('of the README topology: Pgpool 32, HAProxy RW 32 and RO 32 per standby, nodes sized for both', () => {
    expect(table(readme())).toEqual({
      'pg-primary postgres': 177,
      'pg-replica1 postgres': 177,
      'pg-replica2 postgres': 177,
      'pgpool pgpool': 32,
      'haproxy haproxy rw': 32,
      'haproxy haproxy ro': 64,
    });
  });

  it('follow reservedConnections and serverMaxConn, and say what happens past them', () => {
    const ceilings = sessionCeilings(readme({ numInitChildren: 10, reservedConnections: 2 }).resolve());
    const pgpool = ceilings.find((c) => c.entry === 'pgpool')!;
    expect(pgpool).toMatchObject({ sessions: 8, formula: 'num_init_children − reserved_connections = 10 − 2 = 8' });
    expect(pgpool.beyond).toMatch(/refused/);
    const rw = ceilings.find((c) => c.entry === 'haproxy rw')!;
    expect(rw).toMatchObject({ sessions: 8 });
    expect(rw.beyond).toMatch(/HAProxy's queue up to timeouts.queue \(60s\)/);
    expect(table(readme({}, { serverMaxConn: 5, timeouts: { queue: '2m' } }))['haproxy haproxy ro']).toBe(10);
  });

  it('count all but one node of the read-only frontend: it lists the whole group, and one node is the primary', () => {
    const ro = sessionCeilings(readme().resolve()).find((c) => c.entry === 'haproxy ro')!;
    expect(ro).toMatchObject({ sessions: 64, formula: 'server maxconn 32 + 32 + 32 − 32 (the primary) = 64' });
  });

  it('are capped by HAProxy global maxConn', () => {
    const rw = sessionCeilings(readme({}, { maxConn: 20 }).resolve()).find((c) => c.entry === 'haproxy rw')!;
    expect(rw).toMatchObject({ sessions: 20, formula: 'global maxconn 20 (below server maxconn 32)' });
  });

  it('of an HAProxy over the nodes without serverMaxConn: what each node serves', () => {
    const cluster = new Cluster({ name: 'shop', postgresVersion: 15 });
    const primary = new Primary(cluster, 'pg-primary', { hostPort: 5611, database: 'app', maxConnections: 50 });
    const r1 = new Replica(cluster, 'pg-replica1', { primary, hostPort: 5612 });
    new Haproxy(cluster, 'haproxy', { upstream: [primary, r1], readWrite: { hostPort: 5100 }, readOnly: { hostPort: 5101 } });
    expect(table(cluster)).toMatchObject({ 'haproxy haproxy rw': 47, 'haproxy haproxy ro': 47 });
  });
});
