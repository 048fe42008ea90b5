import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Cluster, Haproxy, PgPool, Primary, Replica } from '../../src/index.js';
import { addFront, SINGLE_PGPOOL_REASON } from './fixtures.js';

// Deliberately broken clusters, each with exactly one mistake made on a line marked
// `// @line:<name>`. Each must produce exactly one diagnostic, with the expected code and path,
// pointing at this file and that line (found by reading this file, so edits above do not matter).

const THIS_FILE = fileURLToPath(import.meta.url);
const LINES = readFileSync(THIS_FILE, 'utf8').split('\n');

function lineOf(marker: string): number {
  const index = LINES.findIndex((line) => line.trimEnd().endsWith(`// @line:${marker}`));
  if (index < 0) throw new Error(`no line marked @line:${marker}`);
  return index + 1;
}

/** Cluster, primary and first replica of the shop topology; each variant adds the rest. */
function start(primaryProps: Partial<ConstructorParameters<typeof Primary>[2]> = {}) {
  const cluster = new Cluster({ name: 'shop' });
  const primary = new Primary(cluster, 'pg-primary', { hostPort: 5611, ...primaryProps });
  const r1 = new Replica(cluster, 'pg-replica1', { primary, hostPort: 5612 });
  return { cluster, primary, r1 };
}

interface Variant {
  marker: string;
  code: string;
  path: string;
  build: () => Cluster;
}

const VARIANTS: Variant[] = [
  {
    marker: 'standby-limits',
    code: 'PGS017',
    path: 'shop/pg-replica2',
    build: () => {
      const { cluster, primary, r1 } = start({ maxConnections: 250 });
      const r2 = new Replica(cluster, 'pg-replica2', { primary, hostPort: 5613, maxConnections: 200 }); // @line:standby-limits
      addFront(cluster, [primary, r1, r2]);
      return cluster;
    },
  },
  {
    marker: 'host-port',
    code: 'PGS092',
    path: 'shop/pg-replica2',
    build: () => {
      const { cluster, primary, r1 } = start();
      const r2 = new Replica(cluster, 'pg-replica2', { primary, hostPort: 5612 }); // @line:host-port
      addFront(cluster, [primary, r1, r2]);
      return cluster;
    },
  },
  {
    marker: 'shared-slot',
    code: 'PGS020',
    path: 'shop/pg-replica2',
    build: () => {
      const { cluster, primary, r1 } = start();
      const r2 = new Replica(cluster, 'pg-replica2', { primary, hostPort: 5613, slot: 'pg_replica1' }); // @line:shared-slot
      addFront(cluster, [primary, r1, r2]);
      return cluster;
    },
  },
  {
    marker: 'slot-name',
    code: 'PGS019',
    path: 'shop/pg-replica2',
    build: () => {
      const { cluster, primary, r1 } = start();
      const r2 = new Replica(cluster, 'pg-replica2', { primary, hostPort: 5613, slot: 'Replica-2' }); // @line:slot-name
      addFront(cluster, [primary, r1, r2]);
      return cluster;
    },
  },
  {
    marker: 'application-name',
    code: 'PGS018',
    path: 'shop/pg-replica2',
    build: () => {
      const { cluster, primary, r1 } = start();
      const r2 = new Replica(cluster, 'pg-replica2', { primary, hostPort: 5613, applicationName: 'pg-replica1' }); // @line:application-name
      addFront(cluster, [primary, r1, r2]);
      return cluster;
    },
  },
  {
    marker: 'quote',
    code: 'PGS070',
    path: 'shop/pg-replica2',
    build: () => {
      const { cluster, primary, r1 } = start();
      const r2 = new Replica(cluster, 'pg-replica2', { primary, hostPort: 5613, applicationName: "it's" }); // @line:quote
      addFront(cluster, [primary, r1, r2]);
      return cluster;
    },
  },
  {
    marker: 'hot-standby',
    code: 'PGS016',
    path: 'shop/pg-replica2',
    build: () => {
      const { cluster, primary, r1 } = start();
      const r2 = new Replica(cluster, 'pg-replica2', { primary, hostPort: 5613, hotStandby: false }); // @line:hot-standby
      addFront(cluster, [primary, r1, r2]);
      return cluster;
    },
  },
  {
    marker: 'feedback',
    code: 'PGS023',
    path: 'shop/pg-replica2',
    build: () => {
      const { cluster, primary, r1 } = start();
      const r2 = new Replica(cluster, 'pg-replica2', { primary, hostPort: 5613, hotStandbyFeedback: false }); // @line:feedback
      addFront(cluster, [primary, r1, r2]);
      return cluster;
    },
  },
  {
    marker: 'image',
    code: 'PGS024',
    path: 'shop/pg-replica2',
    build: () => {
      const { cluster, primary, r1 } = start();
      const r2 = new Replica(cluster, 'pg-replica2', { primary, hostPort: 5613, image: 'postgres:16' }); // @line:image
      addFront(cluster, [primary, r1, r2]);
      return cluster;
    },
  },
  {
    marker: 'dns-label',
    code: 'PGS090',
    path: 'shop/Pg_Replica2',
    build: () => {
      const { cluster, primary, r1 } = start();
      const r2 = new Replica(cluster, 'Pg_Replica2', { primary, hostPort: 5613 }); // @line:dns-label
      addFront(cluster, [primary, r1, r2]);
      return cluster;
    },
  },
  {
    marker: 'duplicate-id',
    code: 'PGS091',
    path: 'shop/pg-replica1',
    build: () => {
      const { cluster, primary, r1 } = start();
      const r2 = new Replica(cluster, 'pg-replica1', { primary, hostPort: 5613 }); // @line:duplicate-id
      addFront(cluster, [primary, r1, r2]);
      return cluster;
    },
  },
  {
    marker: 'second-primary',
    code: 'PGS010',
    path: 'shop/pg-other',
    build: () => {
      const { cluster, primary, r1 } = start();
      new Primary(cluster, 'pg-other', { hostPort: 5620 }); // @line:second-primary
      addFront(cluster, [primary, r1]);
      return cluster;
    },
  },
  {
    marker: 'wal-senders',
    code: 'PGS013',
    path: 'shop/pg-primary',
    build: () => {
      const cluster = new Cluster({ name: 'shop' });
      const primary = new Primary(cluster, 'pg-primary', { hostPort: 5611, maxWalSenders: 3 }); // @line:wal-senders
      const r1 = new Replica(cluster, 'pg-replica1', { primary, hostPort: 5612 });
      const r2 = new Replica(cluster, 'pg-replica2', { primary, hostPort: 5613 });
      addFront(cluster, [primary, r1, r2]);
      return cluster;
    },
  },
  {
    marker: 'pgpool-duplicate',
    code: 'PGS104',
    path: 'shop/pgpool',
    build: () => {
      const { cluster, primary, r1 } = start();
      const pgpool = new PgPool(cluster, 'pgpool', { backends: [primary, r1, r1], hostPort: 9999 }).acknowledge('PGS213', SINGLE_PGPOOL_REASON); // @line:pgpool-duplicate
      new Haproxy(cluster, 'haproxy', { upstream: pgpool, readWrite: { hostPort: 5100 } });
      return cluster;
    },
  },
  {
    marker: 'haproxy-maxconn',
    code: 'PGS144',
    path: 'shop/haproxy',
    build: () => {
      const { cluster, primary, r1 } = start();
      const pgpool = new PgPool(cluster, 'pgpool', { backends: [primary, r1], hostPort: 9999 }).acknowledge('PGS213', SINGLE_PGPOOL_REASON);
      new Haproxy(cluster, 'haproxy', { upstream: pgpool, readWrite: { hostPort: 5100 }, serverMaxConn: 64 }); // @line:haproxy-maxconn
      return cluster;
    },
  },
];

describe('broken variants point at the line that made the mistake', () => {
  it('has at least a dozen variants', () => {
    expect(VARIANTS.length).toBeGreaterThanOrEqual(12);
  });

  it.each(VARIANTS)('$code at @line:$marker', (v) => {
    const diagnostics = v.build().validate();
    expect(diagnostics.map((d) => ({ code: d.code, path: d.path, line: d.source?.line }))).toEqual([{ code: v.code, path: v.path, line: lineOf(v.marker) }]);
    const [only] = diagnostics;
    expect(basename(only?.source?.file ?? '')).toBe(basename(THIS_FILE));
    expect(only?.source?.file.endsWith('test/validators/source-lines.test.ts')).toBe(true);
    expect(only?.source?.column).toBeGreaterThan(0);
  });
});
