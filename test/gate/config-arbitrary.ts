import fc from 'fast-check';
import { Cluster, Haproxy, PgPool, Primary, Replica, secret, type PostgresVersion } from '../../src/index.js';
import { loadCatalog, type SettingSpec } from '../../src/settings/catalog.js';
import { CONTROLLED_SETTINGS, type SettingValue } from '../../src/settings/validate.js';

// Random cluster configs over the whole option space and the whole settings catalog, as plain
// data (so fast-check can print and shrink them) plus the function that builds one. Values lean
// towards the edges the real tools care about: bounds, 2^31, units, empty and hostile strings.

const MAJORS = [13, 14, 15, 16, 17] as const;
const EDGE_STRINGS = [
  '', ' ', 'x', 'UTC', 'Europe/Paris', 'Europe/Pariss', 'utf8', 'ISO, DMY', 'ISO, SQL', 'stderr,csvlog', 'C', 'C.UTF-8',
  'public, "$user"', '"x', 'a,,b', "it's", 'back\\slash', 'tab\there', 'ünïcødé', '$HOME', '`id`', '\u2028', 'Default',
];
const EDGE_INTS = [-1, 0, 1, 2, 3, 10, 100, 1000, 65535, 65536, 262143, 262144, 2147483647, 2147483648, 1e15];

const oneOf = <T>(...values: T[]) => fc.constantFrom(...values);
/** Mostly `usual`, one time in `odds` an edge: so that a good share of configs gets through. */
const mostly = <T>(usual: fc.Arbitrary<T>, edge: fc.Arbitrary<T>, odds = 12): fc.Arbitrary<T> =>
  fc.oneof({ weight: odds - 1, arbitrary: usual }, { weight: 1, arbitrary: edge });
const memo = <K, V>(make: (key: K) => V) => {
  const cache = new Map<K, V>();
  return (key: K): V => {
    if (!cache.has(key)) cache.set(key, make(key));
    return cache.get(key)!;
  };
};

/** A value for a catalog parameter: usually well-formed, sometimes at or past an edge. */
function settingValue(spec: SettingSpec): fc.Arbitrary<SettingValue> {
  const anyEdge = fc.oneof(fc.constantFrom<SettingValue>(...EDGE_STRINGS), fc.constantFrom<SettingValue>(...EDGE_INTS), fc.boolean());
  switch (spec.type) {
    case 'bool':
      return fc.oneof({ weight: 5, arbitrary: fc.boolean() }, { weight: 1, arbitrary: oneOf<SettingValue>('on', 'off', 'yes', 'maybe', 1, 2) });
    case 'integer':
    case 'real': {
      const min = Math.max(spec.min ?? 0, -1e9);
      const max = Math.min(spec.max ?? 1e9, 1e9);
      const inRange = spec.type === 'integer' ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) : fc.double({ min, max, noNaN: true });
      const units = spec.unit === null ? [] : /B$/.test(spec.unit) ? ['kB', 'MB', 'GB'] : ['ms', 's', 'min'];
      const withUnit = units.length ? fc.tuple(fc.integer({ min: 0, max: 4096 }), fc.constantFrom(...units)).map(([n, u]) => `${n}${u}`) : inRange;
      return fc.oneof({ weight: 8, arbitrary: inRange as fc.Arbitrary<SettingValue> }, { weight: 2, arbitrary: withUnit as fc.Arbitrary<SettingValue> }, { weight: 1, arbitrary: anyEdge });
    }
    case 'enum':
      return fc.oneof({ weight: 6, arbitrary: fc.constantFrom<SettingValue>(...(spec.enumValues ?? ['x'])) }, { weight: 1, arbitrary: anyEdge });
    case 'string':
      // The built-in value is a valid one; then the edges and random text.
      return fc.oneof(
        { weight: 4, arbitrary: fc.constant<SettingValue>(spec.bootValue ?? '') },
        { weight: 3, arbitrary: fc.constantFrom<SettingValue>(...EDGE_STRINGS) },
        { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
        { weight: 1, arbitrary: anyEdge },
      );
  }
}

/** Parameters users may set on a major (the others are refused by design and drawn rarely). */
const settingsOf = memo((major: PostgresVersion): fc.Arbitrary<Record<string, SettingValue>> => {
  const specs = [...loadCatalog(major).settings.values()];
  const settable = specs.filter((s) => s.context !== 'internal' && !Object.hasOwn(CONTROLLED_SETTINGS, s.name.toLowerCase()));
  const entry = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...settable).chain((spec) => fc.tuple(fc.constantFrom(spec.name, spec.name.toLowerCase(), spec.name.toUpperCase()), settingValue(spec))) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...specs.map((s) => s.name), 'wal_log_hints', 'pg_stat_statements.max', 'no_such_thing'), fc.constantFrom<SettingValue>(...EDGE_STRINGS, ...EDGE_INTS, true)) },
  );
  return fc.array(entry, { maxLength: 2 }).map((entries) => Object.fromEntries(entries));
});

const BAD_SECRETS = ['PATH', 'PGDATA', 'POSTGRES_PASSWORD', 'SHOP_POSTGRES_PASSWORD', 'COMPOSE_FILE', 'LD_PRELOAD'];
/** A secret of its own per purpose, now and then a reserved or shared name. */
const secretFor = (purpose: string) => mostly(fc.constant(`SHOP_${purpose}`), fc.constantFrom(...BAD_SECRETS)).map(secret);
const IMAGES = ['postgres:17-bookworm', 'postgres:15', 'postgres:latest', 'postgres', 'postgres@sha256:' + 'a'.repeat(64), 'registry.local:5000/postgres:16-alpine', 'pgpool/pgpool:4.5', 'pgpool/pgpool:latest', 'haproxy:2.8'];
const DURATIONS = ['1us', '500ms', '5s', '30m', '24d', '25d', '0s', '2147483647ms', '2147483648ms', '1h'];
const duration = mostly(fc.constantFrom('500ms', '5s', '10s'), fc.constantFrom(...DURATIONS));
const longDuration = mostly(fc.constantFrom('30m', '1h', '24d'), fc.constantFrom(...DURATIONS));

/** Usually unset (the default applies), sometimes a value. */
const rarely = <T>(value: fc.Arbitrary<T>, odds = 6): fc.Arbitrary<T | undefined> => mostly(fc.constant(undefined), value, odds);

const postgresNode = memo((major: PostgresVersion) =>
  fc.record({
    port: rarely(fc.integer({ min: 1, max: 65535 })),
    maxConnections: rarely(mostly(fc.integer({ min: 100, max: 2000 }), fc.constantFrom(1, 262143, 300000))),
    superuserReservedConnections: rarely(mostly(fc.integer({ min: 0, max: 5 }), fc.constant(200))),
    maxWorkerProcesses: rarely(fc.integer({ min: 0, max: 64 })),
    maxWalSenders: rarely(mostly(fc.integer({ min: 5, max: 20 }), fc.constant(0))),
    maxReplicationSlots: rarely(mostly(fc.integer({ min: 5, max: 20 }), fc.constant(0))),
    maxPreparedTransactions: rarely(fc.integer({ min: 0, max: 100 })),
    maxLocksPerTransaction: rarely(mostly(fc.integer({ min: 10, max: 1000 }), fc.constant(2147483647))),
    hotStandby: rarely(fc.boolean()),
    maxSlotWalKeepSize: rarely(mostly(fc.constantFrom<string | -1>('4GB', '512MB', '0kB', '1kB', '2047TB'), fc.constantFrom<string | -1>(-1, '9999999TB'))),
    settings: settingsOf(major),
    image: rarely(mostly(fc.constant(`postgres:${major}-bookworm`), fc.constantFrom(...IMAGES), 3), 10),
  }));

/** A replica: its own limits are rarer still (it inherits the primary's). */
const replicaNode = memo((major: PostgresVersion) =>
  fc.tuple(postgresNode(major), fc.boolean(), fc.boolean()).map(([node, keepLimits, keepPort]) => {
    if (keepLimits && keepPort) return node;
    const { settings, image, hotStandby, maxSlotWalKeepSize } = node;
    return { settings, image, hotStandby, maxSlotWalKeepSize };
  }));

export interface ConfigPlan {
  cluster: Record<string, unknown>;
  primary: Record<string, unknown>;
  replicas: Array<Record<string, unknown>>;
  pgpool: Record<string, unknown> | null;
  haproxy: { props: Record<string, unknown>; direct: boolean } | null;
}

export function configPlan(majors: readonly PostgresVersion[] = MAJORS): fc.Arbitrary<ConfigPlan> {
  return fc.constantFrom(...majors).chain((postgresVersion) =>
    fc.record({
      cluster: fc.record(
        {
          postgresVersion: fc.constant(postgresVersion),
          pgpoolVersion: fc.constantFrom('4.5'),
          network: fc.record({ subnet: fc.constantFrom('10.8.0.0/24', '10.9.0.0/29', '172.30.0.0/16') }, { requiredKeys: [] }),
          superuser: fc.record({ name: fc.constantFrom('postgres', 'admin'), password: secretFor('POSTGRES_PASSWORD') }, { requiredKeys: [] }),
          replicationUser: fc.record({ name: fc.constantFrom('replicator', 'repl'), password: secretFor('REPLICATION_PASSWORD') }, { requiredKeys: [] }),
          images: rarely(fc.record({ postgres: mostly(fc.constant(`postgres:${postgresVersion}`), fc.constantFrom(...IMAGES), 4), pgpool: mostly(fc.constant('pgpool/pgpool:4.5'), fc.constantFrom(...IMAGES), 4) }, { requiredKeys: [] })),
        },
        { requiredKeys: ['postgresVersion'] },
      ),
      primary: fc.tuple(
          postgresNode(postgresVersion),
          fc.record(
            {
              database: mostly(fc.constantFrom('app', 'shop'), fc.constant('postgres')),
              owner: fc.constantFrom('app', 'owner'),
              ownerPassword: secretFor('APP_PASSWORD'),
              walLevel: mostly(fc.constantFrom('replica', 'logical'), fc.constant('minimal')),
              synchronousCommit: fc.constantFrom('on', 'off', 'local', 'remote_write', 'remote_apply'),
              synchronousStandbyNames: rarely(mostly(fc.constantFrom('*', 'ANY 1 (*)'), fc.constantFrom('', 'FIRST 1 ("pg-replica1")', 'bad syntax ('))),
              extraSlots: rarely(fc.array(mostly(fc.constantFrom('extra_1', 'backup'), fc.constantFrom('Bad-Slot', '\u001b[31m')), { maxLength: 1 })),
              allowedClients: rarely(fc.array(fc.constantFrom('0.0.0.0/0', '10.8.0.0/24', '192.168.1.0/24'), { minLength: 1, maxLength: 2 }), 8),
            },
            { requiredKeys: [] },
          ),
        ).map(([node, own]) => ({ ...node, ...own })),
      replicas: fc.array(
        fc.tuple(
          replicaNode(postgresVersion),
          fc.record({ synchronous: rarely(fc.boolean()), slot: rarely(mostly<boolean | string>(fc.boolean(), fc.constantFrom('custom_slot', 'Bad Slot'))), hotStandbyFeedback: fc.boolean() }, { requiredKeys: [] }),
        ).map(([node, own]) => ({ ...node, ...own })),
        { maxLength: 3 },
      ),
      pgpool: fc.option(
        fc.record(
          {
            numInitChildren: mostly(fc.integer({ min: 1, max: 64 }), fc.constantFrom(1000, 10000)),
            maxPool: mostly(fc.integer({ min: 1, max: 8 }), fc.constant(300)),
            reservedConnections: mostly(fc.integer({ min: 0, max: 1 }), fc.constant(2147483648)),
            loadBalance: fc.boolean(),
            statementLevelLoadBalance: fc.boolean(),
            srCheckPeriod: mostly(fc.integer({ min: 1, max: 30 }), fc.constantFrom(0, 2147483647, 2147483648)),
            healthCheck: fc.record(
              { period: mostly(fc.integer({ min: 1, max: 30 }), fc.constantFrom(0, 2147483647, 2147483648)), timeout: fc.integer({ min: 0, max: 60 }), maxRetries: fc.integer({ min: 0, max: 5 }), retryDelay: fc.integer({ min: 0, max: 5 }) },
              { requiredKeys: [] },
            ),
            searchPrimaryNodeTimeout: fc.integer({ min: 0, max: 600 }),
            password: secretFor('PGPOOL_PASSWORD'),
            image: mostly(fc.constant('pgpool/pgpool:4.5'), fc.constantFrom(...IMAGES)),
          },
          { requiredKeys: [] },
        ),
        { nil: null },
      ),
      haproxy: fc.option(
        fc.record({
          direct: fc.boolean(),
          props: fc.record(
            {
              maxConn: mostly(fc.integer({ min: 1, max: 5000 }), fc.constant(2147483648)),
              timeouts: fc.record({ connect: duration, client: longDuration, server: longDuration, check: duration }, { requiredKeys: [] }),
              stats: fc.record({ hostPort: fc.constant(8406), password: secretFor('HAPROXY_STATS_PASSWORD') }, { requiredKeys: ['hostPort'] }),
            },
            { requiredKeys: [] },
          ),
        }),
        { nil: null },
      ),
    }),
  );
}

/** Builds the cluster of a plan; construction errors (PGS001) propagate as PgsynthError. */
export function buildCluster(plan: ConfigPlan): Cluster {
  const cluster = new Cluster({ name: 'shop', ...plan.cluster } as never);
  const primary = new Primary(cluster, 'pg-primary', { hostPort: 5611, ...plan.primary } as never);
  const replicas = plan.replicas.map((props, i) => new Replica(cluster, `pg-replica${i + 1}`, { primary, hostPort: 5612 + i, ...props } as never));
  const nodes = [primary, ...replicas];
  const pgpool = plan.pgpool ? new PgPool(cluster, 'pgpool', { backends: nodes, hostPort: 9999, ...plan.pgpool } as never) : null;
  if (plan.haproxy) {
    const upstream = plan.haproxy.direct || !pgpool ? nodes : pgpool;
    new Haproxy(cluster, 'haproxy', { upstream, readWrite: { hostPort: 5100 }, readOnly: { hostPort: 5101 }, ...plan.haproxy.props } as never);
  }
  return cluster;
}
