import type { SourceLocation } from '../diagnostic.js';
import type { PgpoolVersion, PostgresVersion } from './cluster.js';

// The resolved cluster: plain, serializable data with every default filled and every derived
// value computed, for one address plan. Rules and renderers see only this.

/** `compose`: services reach each other by service name and container port. `local`: every process on 127.0.0.1 at its host port. */
export type Target = 'compose' | 'local';

export type { SettingValue } from '../settings/issue.js';
import type { SettingValue } from '../settings/issue.js';

/** Identifies the construct a spec object came from, for diagnostics. */
export interface NodeRef {
  id: string;
  path: string;
  source?: SourceLocation;
}

/** Where a secret is named: the construct and field, and whose password it is. */
export interface SecretUse {
  node: NodeRef;
  /** The props field, e.g. `ownerPassword` or `superuser.password`. */
  field: string;
  /** What the password unlocks: `role:app`, `pcp:pcpadmin`, `stats:admin`. */
  identity: string;
  /** True when the field was not set and the variable is the cluster's default name. */
  defaulted: boolean;
}

export interface SecretSpec {
  env: string;
  purpose: string;
  /** Every place that uses the variable, in registration order. */
  uses: SecretUse[];
}

/** A role and the environment variable holding its password. */
export interface RoleSpec {
  name: string;
  passwordEnv: string;
}

export interface Endpoint {
  host: string;
  port: number;
}

/** A port as the user declared it: published on the host, listened on in the container. */
export interface PublishedPort {
  hostPort: number;
  containerPort: number;
  /** The port the process listens on in this target (container port on compose, host port locally). */
  listenPort: number;
}

export interface HbaEntry {
  type: 'local' | 'host' | 'hostssl';
  database: string;
  user: string;
  /** CIDR, `samenet`, `samehost` or `all`; absent for `local`. */
  address?: string;
  method: 'trust' | 'peer' | 'scram-sha-256' | 'md5' | 'reject';
  comment: string;
  /** Written from the user's `allowedClients`, which may admit every address (PGS074 warns). */
  fromAllowedClients?: true;
}

export interface PostgresLimits {
  maxConnections: number;
  superuserReservedConnections: number;
  maxWorkerProcesses: number;
  maxWalSenders: number;
  maxReplicationSlots: number;
  maxPreparedTransactions: number;
  maxLocksPerTransaction: number;
  /** Set when maxConnections was not given and pgsynth sized it for the Pgpools in front. */
  maxConnectionsDerived?: true;
}

/** Directories and files of a process in this target (container paths on compose, under `.pgsynth/local/<cluster>/<id>` locally). */
export interface PostgresPaths {
  dataDir: string;
  configDir: string;
  socketDir: string;
  /** Local target only: the server log file. */
  logFile: string;
}

export interface PrimaryRoleSpec {
  database: string;
  owner: RoleSpec;
  walLevel: 'minimal' | 'replica' | 'logical';
  synchronousCommit: 'on' | 'off' | 'local' | 'remote_write' | 'remote_apply';
  /** Value for synchronous_standby_names, '' when no standby is synchronous. */
  synchronousStandbyNames: string;
  /** Whether synchronousStandbyNames was written by the user (else derived from `synchronous: true`). */
  synchronousStandbyNamesExplicit: boolean;
  /** Slots the bootstrap creates: one per slot-using replica, then the extra ones. */
  slots: string[];
  /** Extra slots declared by the user (a subset of `slots`). */
  extraSlots: string[];
}

export interface ReplicaRoleSpec {
  /** Id of the primary it streams from. */
  upstreamId: string;
  /** The primary as this replica reaches it in this target (primary_conninfo host/port). */
  upstream: Endpoint;
  applicationName: string;
  slotName: string | null;
  synchronous: boolean;
  hotStandbyFeedback: boolean;
}

/** Another node of the same replication group, as this target reaches it. */
export interface PeerSpec extends Endpoint {
  id: string;
}

/**
 * A node's part in its replication group whatever its role at run time: the initial primary
 * runs as a standby after a failover, a replica as the primary. Which one is primary is run-time
 * state (standby.signal in the data directory), not configuration.
 */
export interface MemberSpec {
  /** Its application_name while it streams. */
  applicationName: string;
  /** The physical slot it streams through, made on whichever node is primary; null without slots. */
  slotName: string | null;
  hotStandbyFeedback: boolean;
  /** Every other node of the group: primary_conninfo lists them all and libpq picks the read-write one. */
  peers: PeerSpec[];
  /** synchronous_standby_names while this node is the primary: the group's, with this node's seat given to the initial primary. */
  synchronousStandbyNames: string;
  synchronousCommit: PrimaryRoleSpec['synchronousCommit'];
  /** Slots this node makes when it is promoted: every other member's, then the extra ones. */
  slotsWhenPrimary: string[];
}

/** A server clients and the other services connect to: PostgreSQL or Pgpool-II. */
export interface ServerSpec extends NodeRef {
  image: string;
  /** How other services reach it in this target. */
  address: Endpoint;
  /** `listen_addresses` value. */
  listenAddresses: string;
  port: PublishedPort;
}

export interface PostgresNodeSpec extends ServerSpec {
  kind: 'postgres';
  role: 'primary' | 'replica';
  limits: PostgresLimits;
  hotStandby: boolean;
  maxSlotWalKeepSize: string | -1;
  /** The user's extra server parameters, as given. */
  settings: Record<string, SettingValue>;
  /** pg_hba.conf entries, in order (first match wins). */
  hba: HbaEntry[];
  paths: PostgresPaths;
  primary?: PrimaryRoleSpec;
  replica?: ReplicaRoleSpec;
  /** Absent for a primary without replicas. */
  member?: MemberSpec;
}

export interface PgpoolBackendSpec {
  index: number;
  /** Id of the cluster node behind this backend, or null for an explicit `{ host, port }`. */
  nodeId: string | null;
  /** Field of the PgPool props this came from, e.g. `backends[1]`. */
  field: string;
  host: string;
  port: number;
  weight: number;
  flag: 'ALLOW_TO_FAILOVER' | 'DISALLOW_TO_FAILOVER';
  /** The node's application_name (replicas), '' for the primary and explicit backends. */
  applicationName: string;
  /** The node's data directory in this target ('' when unknown). */
  dataDirectory: string;
}

export interface PgpoolSpec extends ServerSpec {
  kind: 'pgpool';
  version: PgpoolVersion;
  pcp: { listenAddresses: string; port: number; hostPort: number | null; user: RoleSpec };
  numInitChildren: number;
  maxPool: number;
  reservedConnections: number;
  loadBalance: boolean;
  statementLevelLoadBalance: boolean;
  srCheckPeriod: number;
  healthCheck: { period: number; timeout: number; maxRetries: number; retryDelay: number };
  searchPrimaryNodeTimeout: number;
  failover: 'automatic' | 'manual';
  /** The role for sr_check/health_check (password read from pool_passwd). */
  checkUser: RoleSpec;
  backends: PgpoolBackendSpec[];
  /** pool_hba.conf entries (first match wins). */
  poolHba: HbaEntry[];
  /** Roles that get a pool_passwd entry, made at start from their password variables. */
  poolPasswdRoles: RoleSpec[];
  paths: { configDir: string; socketDir: string; pcpSocketDir: string; pidFile: string; logDir: string; logFile: string };
}

export interface HaproxyServerSpec {
  name: string;
  host: string;
  port: number;
  /** `pgpool`: TCP check of Pgpool; `primary`/`standby`: pg_is_in_recovery() answers f/t. */
  check: 'pgpool' | 'primary' | 'standby';
  backup: boolean;
}

export interface HaproxyFrontendSpec {
  name: 'rw' | 'ro';
  port: PublishedPort;
  bindAddress: string;
  servers: HaproxyServerSpec[];
  /** Sessions HAProxy sends to each of these servers at once (its `maxconn`); null: no limit. */
  serverMaxConn: number | null;
}

export interface HaproxySpec extends NodeRef {
  kind: 'haproxy';
  image: string;
  /** `pgpool` or `direct` (HAProxy checks the PostgreSQL nodes itself). */
  upstream: { kind: 'pgpool'; id: string } | { kind: 'direct'; ids: string[] };
  readWrite: HaproxyFrontendSpec;
  readOnly: HaproxyFrontendSpec | null;
  stats: { port: PublishedPort; bindAddress: string; user: RoleSpec } | null;
  checkUser: string;
  maxConn: number;
  timeouts: { connect: string; client: string; server: string; check: string; queue: string };
  /** `adminSocket`: the runtime API (`stats socket … level admin`), where synth sets a node it stops to maintenance first. */
  paths: { configDir: string; pidFile: string; logFile: string; adminSocket: string };
}

export type BackupRepositorySpec =
  | { type: 'posix'; path: string; /** Compose: the named volume mounted at `path`. */ volume: string }
  | {
      type: 's3';
      bucket: string;
      endpoint: string;
      region: string;
      path: string;
      uriStyle: 'host' | 'path';
      verifyTls: boolean;
      accessKeyIdEnv: string;
      secretAccessKeyEnv: string;
    };

/** pgBackRest: one stanza and one repository for the cluster; every node archives into it when it is primary. */
export interface BackupSpec extends NodeRef {
  tool: 'pgbackrest';
  stanza: string;
  repository: BackupRepositorySpec;
  retention: { full: number; diff: number | null; archive: number | null };
  /** Crontab schedules (compose backup service); null: never. */
  schedule: { full: string | null; diff: string | null; incr: string | null };
  compression: { type: 'lz4' | 'zst' | 'gz' | 'bz2' | 'none'; level: number | null };
  /** The variable holding the repository passphrase (aes-256-cbc), null: unencrypted. */
  cipherPassEnv: string | null;
  /** PostgreSQL archive_timeout, seconds (0: off). */
  archiveTimeout: number;
  processMax: number;
  /** pgBackRest's own folders in this target (logs, locks, async spool). */
  paths: { logDir: string; lockDir: string; spoolDir: string };
}

export interface ClusterSpec extends NodeRef {
  target: Target;
  postgresVersion: PostgresVersion;
  pgpoolVersion: PgpoolVersion;
  bindAddress: string;
  /** Compose: passwords reach containers as secret files (`<VAR>_FILE`) rather than from .env. */
  secretFiles: boolean;
  network: { name: string; subnet: string | null };
  roles: { superuser: RoleSpec; replication: RoleSpec };
  /** Every PostgreSQL node, primaries first, in creation order. */
  postgres: PostgresNodeSpec[];
  pgpools: PgpoolSpec[];
  haproxies: HaproxySpec[];
  /** Backups and WAL archiving, null without a Backup construct. */
  backup: BackupSpec | null;
  /** Local target: the root directory of data, sockets, pid files and logs. */
  localDir: string;
  /** Every secret the cluster needs, by environment variable, with what it is for. */
  secrets: SecretSpec[];
}
