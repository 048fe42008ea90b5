import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { Cluster, Haproxy, PgPool, Primary, Replica, synthToMemory } from '../../../src/index.js';
import { CONFIG_HASH_LABEL } from '../../../src/render/compose/index.js';

function labels(maxPool: number): Record<string, string> {
  const cluster = new Cluster({ name: 'shop', postgresVersion: 17 });
  const primary = new Primary(cluster, 'pg-primary', { hostPort: 5611, maxConnections: 200 });
  const replica = new Replica(cluster, 'pg-replica1', { primary, hostPort: 5612 });
  const pgpool = new PgPool(cluster, 'pgpool', { backends: [primary, replica], hostPort: 9999, maxPool });
  new Haproxy(cluster, 'haproxy', { upstream: pgpool, readWrite: { hostPort: 5100 } });
  const compose = parse(synthToMemory(cluster)['docker-compose.yml']!) as { services: Record<string, { labels: Record<string, string> }> };
  return Object.fromEntries(Object.entries(compose.services).map(([id, s]) => [id, s.labels[CONFIG_HASH_LABEL]!]));
}

// `docker compose up -d` recreates a service when its definition changes: the label makes a
// change in the service's generated files such a change, and only for that service.
describe('the config-hash label', () => {
  it('differs per service and changes only where a generated file changed', () => {
    const before = labels(4);
    const after = labels(3);
    expect(new Set(Object.values(before)).size).toBe(4);
    expect(Object.keys(after).filter((id) => after[id] !== before[id])).toEqual(['pgpool']);
  });
});
