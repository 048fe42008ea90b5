/**
 * The file `synth init` writes: the README example, commented, with commits confirmed by either
 * standby (ANY 1) instead of the README's single synchronous one, so that neither a stopped
 * standby nor a failover leaves commits waiting (PGS053).
 */
export const STARTER_CONFIG = `// A PostgreSQL streaming-replication cluster, synthesized by pgsynth.
// Run \`npx synth\` to write the files into ./cluster, \`npx synth up\` to run it locally.
import { Cluster, Primary, Replica, PgPool, Haproxy } from 'pgsynth';

// The cluster name prefixes every construct path (shop/pg-primary) and the default secret
// names (SHOP_POSTGRES_PASSWORD, ...): set those in cluster/.env, never in this file.
const cluster = new Cluster({ name: 'shop', postgresVersion: 17 });

// hostPort is published on 127.0.0.1; inside the compose network each node listens on 5432.
// A commit returns once either standby has it (ANY 1 of two): commits go on while one standby
// is down, and after a failover the new primary still has a standby to confirm them. A single
// synchronous standby would block every commit while it is down (see synth explain PGS053).
const primary = new Primary(cluster, 'pg-primary', {
  hostPort: 5611,
  database: 'app',
  synchronousStandbyNames: 'ANY 1 ("pg-replica1", "pg-replica2")',
});
const r1 = new Replica(cluster, 'pg-replica1', { primary, hostPort: 5612 });
const r2 = new Replica(cluster, 'pg-replica2', { primary, hostPort: 5613 });

// Pgpool-II pools connections, sends writes to the primary and balances reads over the standbys.
const pgpool = new PgPool(cluster, 'pgpool', {
  backends: [primary, r1, r2],
  hostPort: 9999,
  numInitChildren: 32,
  maxPool: 4,
  loadBalance: true,
});
// Every client goes through this one Pgpool-II (synth explain PGS213). On one host, with compose
// restarting it, that is a risk worth taking; drop this line to see the warning again.
pgpool.acknowledge('PGS213', 'one host: compose restarts Pgpool-II, and no watchdog is configured');

// HAProxy in front: read-write, read-only and a stats page.
new Haproxy(cluster, 'haproxy', {
  upstream: pgpool,
  readWrite: { hostPort: 5100 },
  readOnly: { hostPort: 5101 },
  stats: { hostPort: 8406 },
});

export default cluster;
`;
