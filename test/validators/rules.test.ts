import { describe, expect, it } from 'vitest';
import { Backup, Cluster, Haproxy, PgPool, Primary, Replica, RULES, secret } from '../../src/index.js';
import type { BackupProps, PrimaryProps, ReplicaProps } from '../../src/index.js';
import type { ValidateOptions } from '../../src/index.js';
import { shop, withCode } from './fixtures.js';

// One failing and one passing config per rule. A failing case states how many diagnostics of
// its rule it produces and the exact path, field and severity of the first, plus the parts of
// its message (and fix) that carry the numbers.

interface Case {
  code: string;
  name: string;
  bad: () => Cluster;
  good: () => Cluster;
  options?: ValidateOptions;
  goodOptions?: ValidateOptions;
  count?: number;
  path: string;
  field: string;
  message: string[];
  fix?: string[];
}

/** A primary and replica of another cluster, for the "belongs to the cluster" rules. */
function otherCluster() {
  const other = new Cluster({ name: 'other' });
  const primary = new Primary(other, 'pg-main', { hostPort: 5700 });
  const replica = new Replica(other, 'pg-far', { primary, hostPort: 5701 });
  const pgpool = new PgPool(other, 'pool2', { backends: [primary], hostPort: 9990 });
  return { other, primary, replica, pgpool };
}

/** The shop fixture with a Backup (and optional changes to its nodes). */
function withBackup(props: BackupProps, nodes: { primary?: Partial<PrimaryProps>; r1?: Partial<ReplicaProps> | false; r2?: Partial<ReplicaProps> | false } = {}): Cluster {
  const { cluster } = shop({ ...nodes, ...(nodes.r1 === false && nodes.r2 === false ? { pgpool: false, haproxy: false } : {}) });
  new Backup(cluster, 'backup', props);
  return cluster;
}

const SYNC_BOTH = 'ANY 1 ("pg-replica1", "pg-replica2")';

const CASES: Case[] = [
  {
    code: 'PGS010',
    name: 'a second primary',
    bad: () => {
      const { cluster } = shop();
      new Primary(cluster, 'pg-other', { hostPort: 5620 });
      return cluster;
    },
    good: () => shop().cluster,
    path: 'shop/pg-other',
    field: '',
    message: ['is a second Primary', 'shop/pg-primary is already', '2 primaries'],
    fix: ["new Replica(cluster, 'pg-other', { primary, hostPort: 5620 })"],
  },
  {
    code: 'PGS010',
    name: 'no primary at all',
    bad: () => new Cluster({ name: 'empty' }),
    good: () => shop({ r1: false, r2: false, pgpool: false, haproxy: false }).cluster,
    path: 'empty',
    field: '',
    message: ['0 PostgreSQL node(s) and no Primary'],
  },
  {
    code: 'PGS011',
    name: "a replica of another cluster's primary",
    bad: () => shop({ r2: { primary: otherCluster().primary } }).cluster,
    good: () => shop().cluster,
    path: 'shop/pg-replica2',
    field: 'primary',
    message: ["streams from primary 'pg-main'", "not a Primary of cluster 'shop'"],
  },
  {
    code: 'PGS012',
    name: 'too few replication slots',
    bad: () => shop({ primary: { maxReplicationSlots: 2 } }).cluster,
    good: () => shop({ primary: { maxReplicationSlots: 3 } }).cluster,
    path: 'shop/pg-primary',
    field: 'maxReplicationSlots',
    message: ['needs 3 replication slots', '2 for replicas', 'maxReplicationSlots is 2'],
    fix: ['at least 3'],
  },
  {
    code: 'PGS013',
    name: 'no WAL sender left for a base backup',
    bad: () => shop({ primary: { maxWalSenders: 3 } }).cluster,
    good: () => shop({ primary: { maxWalSenders: 4 } }).cluster,
    path: 'shop/pg-primary',
    field: 'maxWalSenders',
    message: ['maxWalSenders is 3', '2 replica(s) stream', 'at least 4'],
    fix: ['at least 4'],
  },
  {
    code: 'PGS014',
    name: 'minimal WAL with replicas',
    bad: () => shop({ primary: { walLevel: 'minimal' } }).cluster,
    good: () => shop({ primary: { walLevel: 'logical' } }).cluster,
    path: 'shop/pg-primary',
    field: 'walLevel',
    message: ["walLevel is 'minimal'", '2 replica(s) and 0 extra slot(s)'],
  },
  {
    code: 'PGS015',
    name: 'minimal WAL with the default WAL senders',
    bad: () => shop({ primary: { walLevel: 'minimal' }, r1: false, r2: false, pgpool: false, haproxy: false }).cluster,
    good: () => shop({ primary: { walLevel: 'minimal', maxWalSenders: 0 }, r1: false, r2: false, pgpool: false, haproxy: false }).cluster,
    path: 'shop/pg-primary',
    field: 'maxWalSenders',
    message: ["walLevel is 'minimal' but maxWalSenders is 10"],
  },
  {
    code: 'PGS016',
    name: 'hot standby off on a load-balanced replica',
    bad: () => shop({ r2: { hotStandby: false } }).cluster,
    good: () => shop({ r2: { hotStandby: true } }).cluster,
    path: 'shop/pg-replica2',
    field: 'hotStandby',
    message: ['hotStandby is false', 'shop/pgpool send reads to it'],
  },
  {
    code: 'PGS017',
    name: 'a standby with fewer connections than the primary',
    bad: () => shop({ primary: { maxConnections: 200 }, r2: { maxConnections: 100 } }).cluster,
    good: () => shop({ primary: { maxConnections: 200 }, r2: { maxConnections: 300 } }).cluster,
    path: 'shop/pg-replica2',
    field: 'maxConnections',
    message: ['maxConnections (max_connections) is 100, lower than 200 on the primary shop/pg-primary'],
    fix: ['at least 200'],
  },
  {
    code: 'PGS017',
    name: 'a finding per field',
    bad: () => shop({ r2: { maxWorkerProcesses: 4, maxLocksPerTransaction: 32 } }).cluster,
    good: () => shop({ r2: { maxWorkerProcesses: 8, maxLocksPerTransaction: 64 } }).cluster,
    count: 2,
    path: 'shop/pg-replica2',
    // Diagnostics are sorted by field: max_locks_per_transaction comes first.
    field: 'maxLocksPerTransaction',
    message: ['maxLocksPerTransaction (max_locks_per_transaction) is 32, lower than 64'],
  },
  {
    code: 'PGS018',
    name: 'two replicas with one application_name',
    bad: () => shop({ r2: { applicationName: 'pg-replica1' } }).cluster,
    good: () => shop({ r2: { applicationName: 'reporting' } }).cluster,
    path: 'shop/pg-replica2',
    field: 'applicationName',
    message: ["application_name 'pg-replica1' is already used by shop/pg-replica1"],
  },
  {
    code: 'PGS019',
    name: 'a slot name with upper case and a hyphen',
    bad: () => shop({ r2: { slot: 'Pg-Replica2' } }).cluster,
    good: () => shop({ r2: { slot: 'replica_two' } }).cluster,
    path: 'shop/pg-replica2',
    field: 'slot',
    message: ["slot name 'Pg-Replica2' may contain only lower-case letters, digits and underscores"],
    fix: ["slot: 'pg_replica2'"],
  },
  {
    code: 'PGS019',
    name: 'an extra slot of 64 bytes',
    bad: () => shop({ primary: { extraSlots: ['b'.repeat(64)] } }).cluster,
    good: () => shop({ primary: { extraSlots: ['b'.repeat(63)] } }).cluster,
    path: 'shop/pg-primary',
    field: 'extraSlots[0]',
    message: ['is 64 bytes; slot names are at most 63'],
  },
  {
    code: 'PGS020',
    name: "a replica using another replica's slot",
    bad: () => shop({ r2: { slot: 'pg_replica1' } }).cluster,
    good: () => shop({ r2: { slot: 'pg_replica2' } }).cluster,
    path: 'shop/pg-replica2',
    field: 'slot',
    message: ["slot 'pg_replica1' is already the slot of shop/pg-replica1"],
  },
  {
    code: 'PGS020',
    name: "an extra slot named like a replica's",
    bad: () => shop({ primary: { extraSlots: ['pg_replica2'] } }).cluster,
    good: () => shop({ primary: { extraSlots: ['backup'] } }).cluster,
    path: 'shop/pg-primary',
    field: 'extraSlots[0]',
    message: ["extra slot 'pg_replica2' is already the slot of shop/pg-replica2"],
  },
  {
    code: 'PGS021',
    name: 'unbounded WAL for slots',
    bad: () => shop({ primary: { maxSlotWalKeepSize: -1 } }).cluster,
    good: () => shop({ primary: { maxSlotWalKeepSize: -1 }, r1: { slot: false }, r2: { slot: false } }).cluster,
    path: 'shop/pg-primary',
    field: 'maxSlotWalKeepSize',
    message: ['maxSlotWalKeepSize is -1 (unlimited) with 2 replication slot(s)'],
  },
  {
    code: 'PGS022',
    name: 'every connection reserved for superusers (reported once, on the primary)',
    bad: () => shop({ primary: { maxConnections: 3, superuserReservedConnections: 3 } }).cluster,
    good: () => shop({ primary: { maxConnections: 80, superuserReservedConnections: 3 } }).cluster,
    path: 'shop/pg-primary',
    field: 'superuserReservedConnections',
    message: ['superuserReservedConnections (3) must be less than maxConnections (3)'],
    fix: ['maxConnections to at least 4'],
  },
  {
    code: 'PGS022',
    name: 'reserved_connections from settings counts on PostgreSQL 16+',
    bad: () => shop({ primary: { maxConnections: 8, settings: { reserved_connections: 5 } }, pgpool: false, haproxy: false }).cluster,
    good: () => shop({ cluster: { postgresVersion: 15 }, primary: { maxConnections: 8, settings: { reserved_connections: 5 } }, pgpool: false, haproxy: false }).cluster,
    path: 'shop/pg-primary',
    field: 'superuserReservedConnections',
    message: ['superuserReservedConnections (3) plus settings.reserved_connections (5) must be less than maxConnections (8)'],
  },
  {
    code: 'PGS023',
    name: 'no hot standby feedback on a standby serving reads',
    bad: () => shop({ r1: { hotStandbyFeedback: false } }).cluster,
    good: () => shop({ r1: { hotStandbyFeedback: false }, pgpool: { loadBalance: false } }).cluster,
    path: 'shop/pg-replica1',
    field: 'hotStandbyFeedback',
    message: ['hotStandbyFeedback is false while shop/pgpool send reads'],
  },
  {
    code: 'PGS024',
    name: 'a replica image of another major',
    bad: () => shop({ r2: { image: 'postgres:16' } }).cluster,
    good: () => shop({ r2: { image: 'postgres:17-alpine' } }).cluster,
    path: 'shop/pg-replica2',
    field: 'image',
    message: ["image 'postgres:16' runs PostgreSQL 16 but the cluster's postgresVersion is 17"],
    fix: ["'postgres:17-bookworm'"],
  },
  {
    code: 'PGS024',
    name: 'a cluster image of another major is reported once, on the cluster',
    bad: () => shop({ cluster: { images: { postgres: 'postgres:15-bookworm' } } }).cluster,
    good: () => shop({ cluster: { postgresVersion: 15, images: { postgres: 'postgres:15-bookworm' } } }).cluster,
    path: 'shop',
    field: 'images.postgres',
    message: ["every node runs image 'postgres:15-bookworm', PostgreSQL 15, but postgresVersion is 17"],
  },
  {
    code: 'PGS025',
    name: 'a derived max_connections past the server maximum',
    bad: () => shop({ pgpool: { numInitChildren: 1000, maxPool: 300 } }).cluster,
    good: () => shop({ pgpool: { numInitChildren: 1000, maxPool: 200 }, primary: { maxConnections: 200100 } }).cluster,
    count: 3,
    path: 'shop/pg-primary',
    field: 'maxConnections',
    message: ['"max_connections" = 301020 is out of range for PostgreSQL 17: allowed 1..262143', 'derived it from'],
    fix: ['numInitChildren × maxPool'],
  },
  {
    code: 'PGS050',
    name: 'an unquoted name with a hyphen',
    bad: () => shop({ primary: { synchronousStandbyNames: 'FIRST 1 (pg-replica1)' } }).cluster,
    good: () => shop({ primary: { synchronousStandbyNames: SYNC_BOTH } }).cluster,
    path: 'shop/pg-primary',
    field: 'synchronousStandbyNames',
    message: ["synchronousStandbyNames 'FIRST 1 (pg-replica1)' is not valid: syntax error at or near \"-\""],
    fix: [`synchronousStandbyNames: '${SYNC_BOTH}'`],
  },
  {
    code: 'PGS050',
    name: 'n = 0',
    bad: () => shop({ primary: { synchronousStandbyNames: 'ANY 0 ("pg-replica1")' } }).cluster,
    good: () => shop({ primary: { synchronousStandbyNames: '' } }).cluster,
    path: 'shop/pg-primary',
    field: 'synchronousStandbyNames',
    message: ['number of synchronous standbys (0) must be greater than zero'],
  },
  {
    code: 'PGS051',
    name: 'a misspelt standby name',
    bad: () => shop({ primary: { synchronousStandbyNames: 'ANY 1 ("pg-replica1", "pg-replca2")' } }).cluster,
    good: () => shop({ primary: { synchronousStandbyNames: 'ANY 1 ("PG-REPLICA1", "pg-replica2")' } }).cluster,
    path: 'shop/pg-primary',
    field: 'synchronousStandbyNames',
    message: ["lists 'pg-replca2', which is not the application_name of any replica of shop/pg-primary (replicas: pg-replica1, pg-replica2)"],
  },
  {
    code: 'PGS052',
    name: 'waiting for more standbys than listed',
    bad: () => shop({ primary: { synchronousStandbyNames: 'FIRST 3 ("pg-replica1", "pg-replica2")' } }).cluster,
    good: () => shop({ primary: { synchronousStandbyNames: 'FIRST 2 ("pg-replica1", "pg-replica2")' } }).cluster,
    path: 'shop/pg-primary',
    field: 'synchronousStandbyNames',
    message: ['waits for 3 synchronous standbys but it lists 2 distinct standby name(s)'],
    fix: ['use FIRST 2 (…) or list 1 more standby(s)'],
  },
  {
    code: 'PGS052',
    name: "'*' bounded by the number of replicas",
    bad: () => shop({ primary: { synchronousStandbyNames: 'ANY 3 (*)' } }).cluster,
    good: () => shop({ primary: { synchronousStandbyNames: 'ANY 1 (*)' } }).cluster,
    path: 'shop/pg-primary',
    field: 'synchronousStandbyNames',
    message: ["waits for 3 synchronous standbys but the primary has 2 replica(s) for '*'"],
  },
  {
    code: 'PGS053',
    name: 'a single synchronous standby',
    bad: () => shop({ r1: { synchronous: true } }).cluster,
    good: () => shop({ r1: { synchronous: true }, primary: { synchronousStandbyNames: SYNC_BOTH } }).cluster,
    path: 'shop/pg-primary',
    field: 'synchronousStandbyNames',
    message: [`'FIRST 1 ("pg-replica1")' (derived from synchronous: true) has 1 candidate for 1 synchronous standby`, 'every commit blocks while pg-replica1 is down'],
    fix: [`synchronousStandbyNames: '${SYNC_BOTH}' on shop/pg-primary`],
  },
  {
    code: 'PGS054',
    name: 'synchronous standbys that are never waited for',
    bad: () => shop({ primary: { synchronousCommit: 'local', synchronousStandbyNames: SYNC_BOTH } }).cluster,
    good: () => shop({ primary: { synchronousCommit: 'remote_apply', synchronousStandbyNames: SYNC_BOTH } }).cluster,
    path: 'shop/pg-primary',
    field: 'synchronousCommit',
    message: ["synchronousCommit is 'local'", 'commits do not wait for any standby'],
  },
  {
    code: 'PGS055',
    name: 'a replica marked synchronous but left out of explicit names',
    bad: () => shop({ primary: { synchronousStandbyNames: 'FIRST 1 ("pg-replica1")' }, r2: { synchronous: true } }).cluster,
    good: () => shop({ primary: { synchronousStandbyNames: SYNC_BOTH }, r2: { synchronous: true } }).cluster,
    path: 'shop/pg-replica2',
    field: 'synchronous',
    message: ["does not list its application_name 'pg-replica2'", 'replicates asynchronously'],
  },
  {
    code: 'PGS070',
    name: 'a single quote in application_name',
    bad: () => shop({ r2: { applicationName: "replica'2" } }).cluster,
    good: () => shop({ r2: { applicationName: 'replica_2' } }).cluster,
    path: 'shop/pg-replica2',
    field: 'applicationName',
    message: ['applicationName contains a single quote'],
  },
  {
    code: 'PGS070',
    name: 'a newline in an explicit backend host',
    bad: () => shop({ pgpool: (n) => ({ backends: [n.primary, { host: 'pg-replica2\nhost all all 0.0.0.0/0 trust', port: 5432 }] }) }).cluster,
    good: () => shop({ pgpool: (n) => ({ backends: [n.primary, { host: 'pg-replica2', port: 5432 }] }) }).cluster,
    path: 'shop/pgpool',
    field: 'backends[1].host',
    message: ['backends[1].host contains a newline'],
  },
  {
    code: 'PGS071',
    name: 'a non-ASCII application_name',
    bad: () => shop({ r2: { applicationName: 'réplica-2' } }).cluster,
    good: () => shop({ r2: { applicationName: 'replica-2' } }).cluster,
    path: 'shop/pg-replica2',
    field: 'applicationName',
    message: ["applicationName 'réplica-2' contains U+00E9, which PostgreSQL replaces with '?'"],
  },
  {
    code: 'PGS071',
    name: 'a 63-byte application_name behind Pgpool',
    bad: () => shop({ r2: { applicationName: 'a'.repeat(63) } }).cluster,
    good: () => shop({ r2: { applicationName: 'a'.repeat(63) }, pgpool: false, haproxy: false }).cluster,
    path: 'shop/pg-replica2',
    field: 'applicationName',
    message: ['applicationName is 63 bytes; Pgpool keeps only 62'],
  },
  {
    code: 'PGS072',
    name: 'an explicit backend host with an underscore',
    bad: () => shop({ pgpool: (n) => ({ backends: [n.primary, { host: 'pg_replica2', port: 5432 }] }) }).cluster,
    good: () => shop({ pgpool: (n) => ({ backends: [n.primary, { host: '10.0.0.5', port: 5432 }] }) }).cluster,
    path: 'shop/pgpool',
    field: 'backends[1].host',
    message: ["backend 1 host 'pg_replica2' is not a host name: label 'pg_replica2'"],
  },
  {
    code: 'PGS073',
    name: 'HAProxy checking the nodes itself',
    bad: () => shop({ haproxy: (n) => ({ upstream: [n.primary, n.r1!, n.r2!] }) }).cluster,
    good: () => shop().cluster,
    path: 'shop/haproxy',
    field: 'upstream',
    message: ["checks 3 node(s) directly as 'haproxy_check'", 'trusts over TCP'],
  },
  {
    code: 'PGS074',
    name: 'clients from anywhere',
    bad: () => shop({ primary: { allowedClients: ['0.0.0.0/0'] } }).cluster,
    good: () => shop({ primary: { allowedClients: ['10.0.0.0/8', '127.0.0.1/32'] } }).cluster,
    path: 'shop/pg-primary',
    field: 'allowedClients',
    message: ["admits the application role 'app' from 0.0.0.0/0, any address"],
  },
  {
    code: 'PGS075',
    name: 'client networks that leave Pgpool out',
    bad: () => shop({ cluster: { network: { subnet: '10.8.0.0/24' } }, primary: { allowedClients: ['10.99.0.0/16'] } }).cluster,
    good: () => shop({ cluster: { network: { subnet: '10.8.0.0/24' } }, primary: { allowedClients: ['10.8.0.0/16'] } }).cluster,
    path: 'shop/pg-primary',
    field: 'allowedClients',
    message: ['allowedClients (10.99.0.0/16) does not admit the cluster network 10.8.0.0/24, where shop/pgpool connect from'],
    fix: ["add '10.8.0.0/24' to allowedClients"],
  },
  {
    code: 'PGS076',
    name: 'an HAProxy check role named like the superuser',
    bad: () => shop({ haproxy: (n) => ({ upstream: [n.primary, n.r1!, n.r2!], checkUser: 'postgres' }) }).cluster,
    good: () => shop({ haproxy: (n) => ({ upstream: [n.primary, n.r1!, n.r2!], checkUser: 'hacheck' }) }).cluster,
    path: 'shop/haproxy',
    field: 'checkUser',
    message: ["role 'postgres' is HAProxy's check role here and already the superuser (shop superuser.name)"],
  },
  {
    code: 'PGS077',
    name: 'a secret named PATH',
    bad: () => shop({ primary: { database: 'app', ownerPassword: secret('PATH') } }).cluster,
    good: () => shop({ primary: { database: 'app', ownerPassword: secret('SHOP_APP_PASSWORD') } }).cluster,
    path: 'shop/pg-primary',
    field: 'ownerPassword',
    message: ["secret 'PATH' is not a name of its own"],
  },
  {
    code: 'PGS174',
    name: 'postgres:latest on every node',
    bad: () => shop({ cluster: { images: { postgres: 'postgres:latest' } } }).cluster,
    good: () => shop({ cluster: { images: { postgres: 'postgres:17-bookworm' } } }).cluster,
    path: 'shop',
    field: 'images.postgres',
    message: ["image 'postgres:latest' is tagged 'latest'", 'the major version check cannot be done'],
  },
  {
    code: 'PGS090',
    name: 'an id that is not a DNS label',
    bad: () => {
      const { cluster, primary } = shop();
      new Replica(cluster, 'Pg_Replica3', { primary, hostPort: 5614 });
      return cluster;
    },
    good: () => {
      const { cluster, primary } = shop();
      new Replica(cluster, 'pg-replica3', { primary, hostPort: 5614 });
      return cluster;
    },
    path: 'shop/Pg_Replica3',
    field: 'id',
    message: ["id 'Pg_Replica3' is not a DNS label"],
    fix: ["rename it to 'pg-replica3'"],
  },
  {
    code: 'PGS091',
    name: 'two replicas with one id',
    bad: () => {
      const { cluster, primary } = shop();
      new Replica(cluster, 'pg-replica2', { primary, hostPort: 5614 });
      return cluster;
    },
    good: () => {
      const { cluster, primary } = shop();
      new Replica(cluster, 'pg-replica3', { primary, hostPort: 5614 });
      return cluster;
    },
    path: 'shop/pg-replica2',
    field: 'id',
    message: ["id 'pg-replica2' is already the id of a replica (replica 2 of 2 constructs with this id)"],
  },
  {
    code: 'PGS092',
    name: 'two replicas on one host port',
    bad: () => shop({ r2: { hostPort: 5612 } }).cluster,
    good: () => shop({ r2: { hostPort: 5614 } }).cluster,
    path: 'shop/pg-replica2',
    field: 'hostPort',
    message: ['hostPort 5612 is already used by shop/pg-replica1 (hostPort)'],
    fix: ['set hostPort to a free port, e.g. 5613'],
  },
  {
    code: 'PGS092',
    name: "two Pgpools' PCP ports under synth up",
    bad: () => {
      const { cluster, primary } = shop();
      new PgPool(cluster, 'pgpool2', { backends: [primary], hostPort: 9998 });
      return cluster;
    },
    good: () => {
      const { cluster, primary } = shop();
      new PgPool(cluster, 'pgpool2', { backends: [primary], hostPort: 9998, pcpHostPort: 9897 });
      return cluster;
    },
    path: 'shop/pgpool2',
    field: 'pcpPort',
    message: ['pcpPort 9898 is already used by shop/pgpool (pcpPort) under synth up'],
    fix: ['set pcpHostPort to a free port, e.g. 9899'],
  },
  {
    code: 'PGS093',
    name: "Pgpool's port equal to its PCP port",
    bad: () => shop({ pgpool: { port: 9898 } }).cluster,
    good: () => shop({ pgpool: { port: 9999 } }).cluster,
    path: 'shop/pgpool',
    field: 'pcpPort',
    message: ['pcpPort 9898 is also port inside the pgpool container'],
  },
  {
    code: 'PGS093',
    name: "HAProxy's stats on the read-write port",
    bad: () => shop({ haproxy: { stats: { hostPort: 8406, port: 5000 } } }).cluster,
    good: () => shop({ haproxy: { stats: { hostPort: 8406, port: 8404 } } }).cluster,
    path: 'shop/haproxy',
    field: 'stats.port',
    message: ['stats.port 5000 is also readWrite.port inside the haproxy container'],
  },
  {
    code: 'PGS094',
    name: 'a privileged host port',
    bad: () => shop({ haproxy: { readWrite: { hostPort: 543 } } }).cluster,
    good: () => shop({ haproxy: { readWrite: { hostPort: 1024 } } }).cluster,
    path: 'shop/haproxy',
    field: 'readWrite.hostPort',
    message: ['readWrite.hostPort 543 is below 1024'],
    fix: ['use 5543'],
  },
  {
    code: 'PGS100',
    name: 'a backend at the published port, on both targets',
    bad: () => shop({ pgpool: (n) => ({ backends: [n.primary, n.r1!, { host: 'pg-replica2', port: 5613 }] }) }).cluster,
    good: () => shop().cluster,
    count: 2,
    path: 'shop/pgpool',
    field: 'backends[2]',
    message: ['backend 2 points at pg-replica2:5613, the port published on the host; on the compose target shop/pg-replica2 is reached at pg-replica2:5432'],
  },
  {
    code: 'PGS101',
    name: "Pgpool's pool over the nodes' connections",
    bad: () => shop({ primary: { maxConnections: 50 } }).cluster,
    good: () => shop({ primary: { maxConnections: 133 } }).cluster,
    path: 'shop/pgpool',
    field: 'numInitChildren',
    message: ['numInitChildren × maxPool + 2 check connections = 32 × 4 + 2 = 130', 'exceeds backend 0 (shop/pg-primary) maxConnections − superuserReservedConnections = 50 − 3 = 47'],
    fix: ['set numInitChildren to at most 11, or raise maxConnections to at least 133 on shop/pg-primary (replicas inherit it)'],
  },
  {
    code: 'PGS102',
    name: 'a Pgpool without the primary',
    bad: () => shop({ pgpool: (n) => ({ backends: [n.r1!, n.r2!] }) }).cluster,
    good: () => shop().cluster,
    path: 'shop/pgpool',
    field: 'backends',
    message: ['none of the 2 backend(s) is the primary shop/pg-primary'],
  },
  {
    code: 'PGS103',
    name: "a backend of another cluster",
    bad: () => shop({ pgpool: (n) => ({ backends: [n.primary, otherCluster().replica] }) }).cluster,
    good: () => shop().cluster,
    path: 'shop/pgpool',
    field: 'backends[1]',
    message: ["backend 1 is node 'pg-far', which is not a node of cluster 'shop'"],
  },
  {
    code: 'PGS104',
    name: 'a node listed twice',
    bad: () => shop({ pgpool: (n) => ({ backends: [n.primary, n.r1!, n.r2!, { node: n.r1!, weight: 2 }] }) }).cluster,
    good: () => shop({ pgpool: (n) => ({ backends: [n.primary, { node: n.r1!, weight: 2 }, n.r2!] }) }).cluster,
    path: 'shop/pgpool',
    field: 'backends[3]',
    message: ['backend 3 is shop/pg-replica1 again (already backend 1)'],
  },
  {
    code: 'PGS105',
    name: 'load balancing with every standby at weight 0',
    bad: () => shop({ pgpool: (n) => ({ backends: [n.primary, { node: n.r1!, weight: 0 }, { node: n.r2!, weight: 0 }] }) }).cluster,
    good: () => shop({ pgpool: (n) => ({ backends: [n.primary, { node: n.r1!, weight: 0 }, { node: n.r2!, weight: 0.5 }] }) }).cluster,
    path: 'shop/pgpool',
    field: 'backends',
    message: ['all 2 standby backend(s) have weight 0'],
  },
  {
    code: 'PGS106',
    name: 'health checks off',
    bad: () => shop({ pgpool: { healthCheck: { period: 0 } } }).cluster,
    good: () => shop({ pgpool: { healthCheck: { period: 1 } } }).cluster,
    path: 'shop/pgpool',
    field: 'healthCheck.period',
    message: ['healthCheck.period is 0'],
  },
  {
    code: 'PGS107',
    name: 'streaming-replication check off',
    bad: () => shop({ pgpool: { srCheckPeriod: 0 } }).cluster,
    good: () => shop({ pgpool: { srCheckPeriod: 1 } }).cluster,
    path: 'shop/pgpool',
    field: 'srCheckPeriod',
    message: ['srCheckPeriod is 0'],
  },
  {
    code: 'PGS108',
    name: 'every child reserved',
    bad: () => shop({ pgpool: { numInitChildren: 8, reservedConnections: 8 } }).cluster,
    good: () => shop({ pgpool: { numInitChildren: 8, reservedConnections: 7 } }).cluster,
    path: 'shop/pgpool',
    field: 'reservedConnections',
    message: ['reservedConnections (8) is not less than numInitChildren (8): Pgpool accepts 8 − 8 = 0 clients'],
    fix: ['at most 7'],
  },
  {
    code: 'PGS109',
    name: 'hundreds of children',
    bad: () => shop({ primary: { maxConnections: 1000 }, pgpool: { numInitChildren: 300 } }).cluster,
    good: () => shop({ primary: { maxConnections: 1000 }, pgpool: { numInitChildren: 256 } }).cluster,
    path: 'shop/pgpool',
    field: 'numInitChildren',
    message: ['numInitChildren is 300: about 1800 MB'],
  },
  {
    code: 'PGS110',
    name: 'an unbounded search for the primary',
    bad: () => shop({ pgpool: { searchPrimaryNodeTimeout: 0 } }).cluster,
    good: () => shop({ pgpool: { searchPrimaryNodeTimeout: 1 } }).cluster,
    path: 'shop/pgpool',
    field: 'searchPrimaryNodeTimeout',
    message: ['searchPrimaryNodeTimeout is 0'],
  },
  {
    code: 'PGS111',
    name: 'a PCP port below 1024 (one diagnostic for both targets)',
    bad: () => shop({ pgpool: { pcpPort: 898 } }).cluster,
    good: () => shop({ pgpool: { pcpPort: 1024 } }).cluster,
    path: 'shop/pgpool',
    field: 'pcpPort',
    message: ['PCP port 898 is outside 1024..65535'],
  },
  {
    code: 'PGS111',
    name: 'a node Pgpool reaches on port 80',
    bad: () => shop({ r2: { port: 80 } }).cluster,
    good: () => shop({ r2: { port: 1024 } }).cluster,
    path: 'shop/pgpool',
    field: 'backends[2]',
    message: ['backend 2 (pg-replica2) port 80 is outside 1024..65535'],
  },
  {
    code: 'PGS112',
    name: 'statement-level balancing without balancing',
    bad: () => shop({ pgpool: { loadBalance: false, statementLevelLoadBalance: true } }).cluster,
    good: () => shop({ pgpool: { loadBalance: true, statementLevelLoadBalance: true } }).cluster,
    path: 'shop/pgpool',
    field: 'statementLevelLoadBalance',
    message: ['statementLevelLoadBalance is on but loadBalance is off'],
  },
  {
    code: 'PGS113',
    name: 'a Pgpool image of another release',
    bad: () => shop({ pgpool: { image: 'pgpool/pgpool:4.3' } }).cluster,
    good: () => shop({ pgpool: { image: 'pgpool/pgpool:4.5.2' } }).cluster,
    path: 'shop/pgpool',
    field: 'image',
    message: ["image 'pgpool/pgpool:4.3' runs Pgpool-II 4.3 but the cluster's pgpoolVersion is 4.5"],
  },
  {
    code: 'PGS140',
    name: "HAProxy in front of another cluster's Pgpool",
    bad: () => shop({ haproxy: { upstream: otherCluster().pgpool } }).cluster,
    good: () => shop().cluster,
    path: 'shop/haproxy',
    field: 'upstream',
    message: ["upstream PgPool 'pool2' is not a PgPool of cluster 'shop'"],
  },
  {
    code: 'PGS141',
    name: 'a read-write frontend over standbys only',
    bad: () => shop({ haproxy: (n) => ({ upstream: [n.r1!, n.r2!] }) }).cluster,
    good: () => shop({ haproxy: (n) => ({ upstream: [n.primary, n.r1!, n.r2!] }) }).cluster,
    path: 'shop/haproxy',
    field: 'upstream',
    message: ['upstream lists pg-replica1, pg-replica2 and no primary'],
  },
  {
    code: 'PGS142',
    name: 'a read-only frontend without a standby',
    bad: () => shop({ haproxy: (n) => ({ upstream: [n.primary] }) }).cluster,
    good: () => shop({ haproxy: (n) => ({ upstream: [n.primary, n.r1!] }) }).cluster,
    path: 'shop/haproxy',
    field: 'readOnly',
    message: ['readOnly is published but upstream lists no replica: the read-only frontend would have no server'],
  },
  {
    code: 'PGS143',
    name: 'a node listed twice upstream',
    bad: () => shop({ haproxy: (n) => ({ upstream: [n.primary, n.r1!, n.r1!] }) }).cluster,
    good: () => shop({ haproxy: (n) => ({ upstream: [n.primary, n.r1!, n.r2!] }) }).cluster,
    path: 'shop/haproxy',
    field: 'upstream[2]',
    message: ["upstream[2] repeats node 'pg-replica1'"],
  },
  {
    code: 'PGS144',
    name: 'more HAProxy connections per server than Pgpool takes',
    bad: () => shop({ haproxy: { serverMaxConn: 500 } }).cluster,
    good: () => shop({ haproxy: { serverMaxConn: 32 } }).cluster,
    path: 'shop/haproxy',
    field: 'serverMaxConn',
    message: ['serverMaxConn is 500 but shop/pgpool accepts 32 − 0 = 32 clients'],
    fix: ['at most 32'],
  },
  {
    code: 'PGS147',
    name: "HAProxy's maxConn below the sessions of its servers",
    bad: () => shop({ haproxy: { maxConn: 10 } }).cluster,
    good: () => shop({ haproxy: { maxConn: 96 } }).cluster,
    path: 'shop/haproxy',
    field: 'maxConn',
    message: ['maxConn is 10 but its servers take 96 sessions at once'],
    fix: ['at least 96'],
  },
  {
    code: 'PGS148',
    name: 'two HAProxies over one Pgpool sending more than it serves',
    bad: () => {
      const nodes = shop();
      new Haproxy(nodes.cluster, 'haproxy-b', { upstream: nodes.pgpool!, readWrite: { hostPort: 5200 } });
      return nodes.cluster;
    },
    good: () => {
      const nodes = shop({ haproxy: { serverMaxConn: 16 } });
      new Haproxy(nodes.cluster, 'haproxy-b', { upstream: nodes.pgpool!, readWrite: { hostPort: 5200 }, serverMaxConn: 16 });
      return nodes.cluster;
    },
    path: 'shop/haproxy-b',
    field: 'serverMaxConn',
    message: ['shop/haproxy sends up to 32, shop/haproxy-b sends up to 32: 64 sessions together, but shop/pgpool serves 32'],
    fix: ['16 each'],
  },
  {
    code: 'PGS149',
    name: 'read-only sessions that do not fit a standby next to Pgpool',
    bad: () => shop({ primary: { maxConnections: 140 } }).cluster,
    good: () => shop({ primary: { maxConnections: 170 } }).cluster,
    path: 'shop/haproxy',
    field: 'serverMaxConn',
    message: ["read-only serverMaxConn 32 + Pgpool's 130 connections exceed shop/pg-primary maxConnections − superuserReservedConnections = 140 − 3 = 137"],
    fix: ['at most 7', 'at least 165'],
  },
  {
    code: 'PGS145',
    name: 'asymmetric timeouts',
    bad: () => shop({ haproxy: { timeouts: { client: '30m', server: '1h' } } }).cluster,
    good: () => shop({ haproxy: { timeouts: { client: '1h', server: '1h' } } }).cluster,
    path: 'shop/haproxy',
    field: 'timeouts.client',
    message: ['timeouts.client is 30m but timeouts.server is 1h'],
    fix: ['set both to 1h'],
  },
  {
    code: 'PGS146',
    name: 'timeouts that cut idle sessions',
    bad: () => shop({ haproxy: { timeouts: { client: '30s', server: '30s' } } }).cluster,
    good: () => shop({ haproxy: { timeouts: { client: '1m', server: '1m' } } }).cluster,
    count: 2,
    path: 'shop/haproxy',
    field: 'timeouts.client',
    message: ['timeouts.client is 30s'],
  },
  {
    code: 'PGS170',
    name: 'ports published on every interface',
    bad: () => shop({ cluster: { bindAddress: '0.0.0.0' } }).cluster,
    good: () => shop({ cluster: { bindAddress: '127.0.0.1' } }).cluster,
    path: 'shop',
    field: 'bindAddress',
    message: ['publishes 7 port(s) (5611, 5612, 5613, 9999, 5100, 5101, 8406) on every interface (0.0.0.0)'],
  },
  {
    code: 'PGS171',
    name: 'a socket path beyond sun_path',
    bad: () => shop().cluster,
    options: { localDir: `/tmp/${'x'.repeat(90)}` },
    good: () => shop().cluster,
    goodOptions: { localDir: '/tmp/pgsynth-short' },
    path: 'shop',
    field: 'localDir',
    message: [`socket path '/tmp/${'x'.repeat(90)}/run/.s.PGSQL.5611' is 113 bytes; sun_path holds 107 (6 socket(s) too long)`],
    fix: ['at least 6 byte(s) shorter'],
  },
  {
    code: 'PGS172',
    name: 'a subnet too small for the services',
    bad: () => shop({ cluster: { network: { subnet: '10.8.0.0/30' } } }).cluster,
    good: () => shop({ cluster: { network: { subnet: '10.8.0.0/28' } } }).cluster,
    path: 'shop',
    field: 'network.subnet',
    message: ['subnet 10.8.0.0/30 has 1 address(es) for containers but the cluster has 5 services'],
    fix: ['use a /29 or larger'],
  },
  {
    code: 'PGS173',
    name: 'a comma in the synth up directory',
    bad: () => shop().cluster,
    options: { localDir: '/tmp/db,old/shop' },
    good: () => shop().cluster,
    goodOptions: { localDir: '/tmp/db-old/shop' },
    path: 'shop',
    field: 'localDir',
    message: ["localDir '/tmp/db,old/shop' contains a comma"],
  },
  {
    code: 'PGS210',
    name: 'automatic failover without health checks',
    bad: () => shop({ pgpool: { healthCheck: { period: 0 } } }).cluster,
    good: () => shop({ pgpool: { healthCheck: { period: 0 }, failover: 'manual' } }).cluster,
    path: 'shop/pgpool',
    field: 'healthCheck.period',
    message: ['healthCheck.period is 0, so a lost primary is never detected'],
  },
  {
    code: 'PGS211',
    name: 'a failover candidate without room for the slots of the others',
    bad: () => shop({ r1: { maxReplicationSlots: 2 } }).cluster,
    good: () => shop({ r1: { maxReplicationSlots: 3 } }).cluster,
    path: 'shop/pg-replica1',
    field: 'maxReplicationSlots',
    message: ['once promoted it needs 3 replication slots (pg_primary, pg_replica2, and 1 for a base backup) but maxReplicationSlots is 2'],
  },
  {
    code: 'PGS213',
    name: 'one Pgpool-II between every client and the nodes, not acknowledged',
    bad: () => shop({ acceptSinglePgpool: false }).cluster,
    good: () => shop({ acceptSinglePgpool: false, r1: false, r2: false }).cluster,
    path: 'shop/pgpool',
    field: 'backends',
    message: ['shop/pgpool is the only Pgpool-II', 'no failover happens'],
  },
  {
    code: 'PGS212',
    name: 'full_page_writes off on a node pg_rewind may have to rewind',
    bad: () => shop({ primary: { settings: { full_page_writes: false } } }).cluster,
    good: () => shop({ primary: { settings: { full_page_writes: true } } }).cluster,
    path: 'shop/pg-primary',
    field: 'settings.full_page_writes',
    message: ['full_page_writes is off: pg_rewind cannot bring this node back'],
  },
  {
    code: 'PGS190',
    name: "a standby that turns archiving off under a Backup",
    bad: () => withBackup({}, { r1: { settings: { archive_mode: 'off' } } }),
    good: () => withBackup({}, { r1: { settings: { work_mem: '8MB' } } }),
    path: 'shop/pg-replica1',
    field: 'settings.archive_mode',
    message: ['settings sets archive_mode, which shop/backup writes on every node'],
    fix: ['remove archive_mode from settings'],
  },
  {
    code: 'PGS191',
    name: 'wal_level minimal with a Backup',
    bad: () => withBackup({}, { primary: { walLevel: 'minimal', maxWalSenders: 0 }, r1: false, r2: false }),
    good: () => withBackup({}, { r1: false, r2: false }),
    path: 'shop/pg-primary',
    field: 'walLevel',
    message: ["walLevel is 'minimal', but shop/backup archives WAL"],
  },
  {
    code: 'PGS192',
    name: 'archive_timeout off',
    bad: () => withBackup({ archiveTimeout: 0 }),
    good: () => withBackup({ archiveTimeout: 300 }),
    path: 'shop/backup',
    field: 'archiveTimeout',
    message: ['archiveTimeout is 0 (off)'],
  },
  {
    code: 'PGS192',
    name: 'archive_timeout of a few seconds',
    bad: () => withBackup({ archiveTimeout: 2 }),
    good: () => withBackup({ archiveTimeout: 10 }),
    path: 'shop/backup',
    field: 'archiveTimeout',
    message: ['archiveTimeout is 2 s', '675 GB a day'],
  },
  {
    code: 'PGS193',
    name: 'retention that keeps no full backup',
    bad: () => withBackup({ retention: { full: 0 } }),
    good: () => withBackup({ retention: { full: 1 } }),
    path: 'shop/backup',
    field: 'retention.full',
    message: ['retention.full is 0: no full backup would be kept'],
  },
  {
    code: 'PGS193',
    name: 'WAL retention beyond the full backups kept',
    bad: () => withBackup({ retention: { full: 2, archive: 3 } }),
    good: () => withBackup({ retention: { full: 2, archive: 1 } }),
    path: 'shop/backup',
    field: 'retention.archive',
    message: ['retention.archive is 3: it must be between 1 and retention.full (2)'],
  },
  {
    code: 'PGS194',
    name: 'a repository inside the data directory',
    bad: () => withBackup({ repository: { type: 'posix', path: '/var/lib/postgresql/data/backups' } }),
    good: () => withBackup({ repository: { type: 'posix', path: '/var/lib/pgbackrest' } }),
    count: 3,
    path: 'shop/backup',
    field: 'repository.path',
    message: ["the repository /var/lib/postgresql/data/backups overlaps shop/pg-primary's data directory /var/lib/postgresql/data"],
  },
  {
    code: 'PGS195',
    name: 'no scheduled full backup',
    bad: () => withBackup({ schedule: { full: null } }),
    good: () => withBackup({ schedule: { full: '0 2 * * 6' } }),
    path: 'shop/backup',
    field: 'schedule.full',
    message: ['no full backup is scheduled', 'grows without bound'],
  },
  {
    code: 'PGS196',
    name: 'a Backup with an encryption key on compose with secretFiles',
    bad: () => {
      const { cluster } = shop({ cluster: { secretFiles: true } });
      new Backup(cluster, 'backup', { encryptionKey: secret('SHOP_BACKUP_KEY') });
      return cluster;
    },
    options: { targets: ['compose'] },
    good: () => withBackup({ encryptionKey: secret('SHOP_BACKUP_KEY') }),
    goodOptions: { targets: ['compose'] },
    path: 'shop/backup',
    field: 'encryptionKey',
    message: ['secretFiles is on', 'from the environment only'],
  },
  {
    code: 'PGS197',
    name: "a repository volume named like a node's socket folder volume",
    bad: () => withBackup({ repository: { type: 'posix', volume: 'pg-primary-run' } }),
    options: { targets: ['compose'] },
    good: () => withBackup({ repository: { type: 'posix', volume: 'shop-backups' } }),
    goodOptions: { targets: ['compose'] },
    path: 'shop/backup',
    field: 'repository.volume',
    message: ["the repository volume 'pg-primary-run' is also shop/pg-primary's socket folder"],
  },
  {
    code: 'PGS197',
    name: "a repository volume named like a node's data volume",
    bad: () => withBackup({ repository: { type: 'posix', volume: 'pg-primary-data' } }),
    options: { targets: ['compose'] },
    good: () => withBackup({ repository: { type: 'posix', volume: 'pg-primary-backups' } }),
    goodOptions: { targets: ['compose'] },
    path: 'shop/backup',
    field: 'repository.volume',
    message: ["the repository volume 'pg-primary-data' is also shop/pg-primary's data directory"],
  },
];

const severityOf = new Map(RULES.map((r) => [r.code, r.severity]));

describe('each rule', () => {
  it('the shared fixture is clean, so each case isolates one rule', () => {
    expect(shop().cluster.validate()).toEqual([]);
  });

  it('has a failing and a passing case for every registered rule', () => {
    expect([...new Set(CASES.map((c) => c.code))].sort()).toEqual(RULES.map((r) => r.code));
  });

  describe.each(CASES)('$code: $name', (c) => {
    it('reports the mistake with its path, field, severity and numbers', () => {
      const found = withCode(c.bad(), c.code, c.options);
      expect(found).toHaveLength(c.count ?? 1);
      const [first] = found;
      expect(first).toMatchObject({ code: c.code, path: c.path, field: c.field, severity: severityOf.get(c.code) });
      for (const part of c.message) expect(first?.message).toContain(part);
      for (const part of c.fix ?? []) expect(first?.fix).toContain(part);
    });

    it('stays quiet on the corrected config', () => {
      expect(withCode(c.good(), c.code, c.goodOptions)).toEqual([]);
    });
  });
});
