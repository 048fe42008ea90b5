import type { ClusterSpec, HbaEntry, PgpoolSpec } from '../../model/spec.js';
import { hbaTable } from '../hba-table.js';
import { markerComment } from '../marker.js';

// pool_hba.conf: who may connect to Pgpool-II itself. Its format is pg_hba.conf's, but Pgpool
// knows fewer methods (no peer) and keywords (no samerole/samegroup): entries it would reject or
// silently never match fail synthesis here instead.

const POOL_METHODS = new Set<HbaEntry['method']>(['trust', 'scram-sha-256', 'md5', 'reject']);
const UNSUPPORTED_KEYWORDS = new Set(['samerole', 'samegroup', 'replication']);

function field(value: string, what: string, where: string): string {
  if (!/^[A-Za-z0-9_.:/-]+$/.test(value)) throw new Error(`${where}: ${what} ${JSON.stringify(value)} cannot be written to pool_hba.conf`);
  if (UNSUPPORTED_KEYWORDS.has(value)) throw new Error(`${where}: Pgpool-II does not support '${value}' in pool_hba.conf`);
  return value;
}

function row(pool: PgpoolSpec, entry: HbaEntry, index: number): string[] {
  const where = `${pool.path} pool_hba.conf entry ${index + 1} (${entry.comment})`;
  if (!POOL_METHODS.has(entry.method)) throw new Error(`${where}: Pgpool-II has no '${entry.method}' method`);
  if ((entry.type === 'local') !== (entry.address === undefined)) throw new Error(`${where}: only local entries go without an address`);
  return [
    entry.type,
    field(entry.database, 'database', where),
    field(entry.user, 'user', where),
    entry.address === undefined ? '' : field(entry.address, 'address', where),
    entry.method,
  ];
}

/** pool_hba.conf for one Pgpool-II, each entry under the comment that says why it exists. */
export function renderPoolHbaConf(spec: ClusterSpec, pool: PgpoolSpec): string {
  const table = hbaTable(pool.poolHba, (entry, i) => row(pool, entry, i));
  const preamble = [
    markerComment('#'),
    `# ${pool.path}: who may connect to Pgpool-II (${spec.target})`,
    '# First match wins. SCRAM lines need a TEXT or AES entry per user in pool_passwd (written at start).',
  ].join('\n');
  return `${[preamble, ...table].join('\n\n')}\n`;
}
