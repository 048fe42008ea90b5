import type { SourceLocation } from '../validators/diagnostic.js';
import type { PgpoolVersion, PostgresVersion } from './cluster.js';

// The resolved cluster: plain, serializable data with every default filled and every derived
// value computed, for one address plan. Rules and renderers see only this.

/** `compose`: services reach each other by service name and container port. `local`: every process on 127.0.0.1 at its host port. */
export type Target = 'compose' | 'local';

export type SettingValue = string | number | boolean;

/** Identifies the construct a spec object came from, for diagnostics. */
export interface NodeRef {
  id: string;
  path: string;
  source?: SourceLocation;
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
}

export interface PostgresLimits {
  maxConnections: number;
  superuserReservedConnections: number;
  maxWorkerProcesses: number;
  maxWalSenders: number;
  maxReplicationSlots: number;
  maxPreparedTransactions: number;
  maxLocksPerTransaction: number;
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

export interface PostgresNodeSpec extends NodeRef {
  kind: 'postgres';
  role: 'primary' | 'replica';
  image: string;
  /** How other services reach this node in this target. */
  address: Endpoint;
  /** `listen_addresses` value. */
  listenAddresses: string;
  port: PublishedPort;
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

export interface PgpoolSpec extends NodeRef {
  kind: 'pgpool';
  version: PgpoolVersion;
  image: string;
  address: Endpoint;
  listenAddresses: string;
  port: PublishedPort;
  pcp: { listenAddresses: string; port: number; hostPort: number | null; user: RoleSpec };
  numInitChildren: number;
  maxPool: number;
  reservedConnections: number;
  loadBalance: boolean;
  statementLevelLoadBalance: boolean;
  srCheckPeriod: number;
  healthCheck: { period: number; timeout: number; maxRetries: number; retryDelay: number };
  searchPrimaryNodeTimeout: number;
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
  serverMaxConn: number | null;
  timeouts: { connect: string; client: string; server: string; check: string };
  paths: { configDir: string; pidFile: string; logFile: string };
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
  /** Local target: the root directory of data, sockets, pid files and logs. */
  localDir: string;
  /** Every secret the cluster needs, by environment variable, with what it is for. */
  secrets: Array<{ env: string; purpose: string }>;
}
