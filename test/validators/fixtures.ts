import { Cluster, Haproxy, PgPool, Primary, Replica } from '../../src/index.js';
import type { ClusterProps, Diagnostic, HaproxyProps, PgPoolProps, PrimaryProps, ReplicaProps, ValidateOptions } from '../../src/index.js';

// The README topology without a synchronous standby: it validates with no diagnostic at all,
// so each test can break exactly one thing and see exactly one rule fire.

export interface ShopNodes {
  cluster: Cluster;
  primary: Primary;
  r1: Replica | undefined;
  r2: Replica | undefined;
  pgpool: PgPool | undefined;
  haproxy: Haproxy | undefined;
}

type Props<T> = Partial<T> | ((nodes: ShopNodes) => Partial<T>);

export interface ShopOptions {
  cluster?: Partial<ClusterProps>;
  primary?: Partial<PrimaryProps>;
  /** false leaves the replica out. */
  r1?: Partial<ReplicaProps> | false;
  r2?: Partial<ReplicaProps> | false;
  pgpool?: Props<PgPoolProps> | false;
  haproxy?: Props<HaproxyProps> | false;
  /** false leaves PGS213 (the single Pgpool-II) unacknowledged. @default true */
  acceptSinglePgpool?: boolean;
}

/** The shop topology's one Pgpool-II over standbys accepts PGS213, so the fixture stays clean. */
export const SINGLE_PGPOOL_REASON = 'a test cluster: one Pgpool-II is enough';

function resolveProps<T>(props: Props<T> | undefined, nodes: ShopNodes): Partial<T> {
  return typeof props === 'function' ? props(nodes) : (props ?? {});
}

export function shop(options: ShopOptions = {}): ShopNodes {
  const cluster = new Cluster({ name: 'shop', ...options.cluster });
  const primary = new Primary(cluster, 'pg-primary', { hostPort: 5611, ...options.primary });
  const r1 = options.r1 === false ? undefined : new Replica(cluster, 'pg-replica1', { primary, hostPort: 5612, ...options.r1 });
  const r2 = options.r2 === false ? undefined : new Replica(cluster, 'pg-replica2', { primary, hostPort: 5613, ...options.r2 });
  const nodes: ShopNodes = { cluster, primary, r1, r2, pgpool: undefined, haproxy: undefined };
  if (options.pgpool !== false) {
    const backends = [primary, ...(r1 ? [r1] : []), ...(r2 ? [r2] : [])];
    nodes.pgpool = new PgPool(cluster, 'pgpool', { backends, hostPort: 9999, ...resolveProps(options.pgpool, nodes) });
    if (options.acceptSinglePgpool !== false && backends.length > 1) nodes.pgpool.acknowledge('PGS213', SINGLE_PGPOOL_REASON);
  }
  if (options.haproxy !== false) {
    const upstream = nodes.pgpool ?? [primary];
    nodes.haproxy = new Haproxy(cluster, 'haproxy', {
      upstream,
      readWrite: { hostPort: 5100 },
      readOnly: { hostPort: 5101 },
      stats: { hostPort: 8406 },
      ...resolveProps(options.haproxy, nodes),
    });
  }
  return nodes;
}

/** The front of the shop topology (Pgpool over these backends, HAProxy over Pgpool), for tests that create the nodes themselves. */
export function addFront(cluster: Cluster, backends: Array<Primary | Replica>): { pgpool: PgPool; haproxy: Haproxy } {
  const pgpool = new PgPool(cluster, 'pgpool', { backends, hostPort: 9999 });
  if (backends.length > 1) pgpool.acknowledge('PGS213', SINGLE_PGPOOL_REASON);
  const haproxy = new Haproxy(cluster, 'haproxy', { upstream: pgpool, readWrite: { hostPort: 5100 }, readOnly: { hostPort: 5101 }, stats: { hostPort: 8406 } });
  return { pgpool, haproxy };
}

/** The diagnostics of one rule. */
export function withCode(cluster: Cluster, code: string, options: ValidateOptions = {}): Diagnostic[] {
  return cluster.validate(options).filter((d) => d.code === code);
}
