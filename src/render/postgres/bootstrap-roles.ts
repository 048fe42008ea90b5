import type { ClusterSpec, PostgresNodeSpec } from '../../model/spec.js';

// The roles a primary's bootstrap makes, merged by name: one config may give two jobs to one
// role (say, Pgpool's check role doubling as the replication role), and the role then gets the
// attributes of both.

export interface BootstrapRole {
  name: string;
  /** Role attributes beyond LOGIN, e.g. REPLICATION. */
  attributes: string[];
  /** Predefined roles granted to it, e.g. pg_monitor. */
  memberOf: string[];
  /** Functions it may execute beyond PUBLIC's, by signature, e.g. `pg_catalog.pg_promote(boolean, integer)`. */
  executes: string[];
  /** The variable holding its password, or null for a role that must not have one. */
  passwordEnv: string | null;
  /** What it is for, one phrase per job. */
  purposes: string[];
}

/** What pg_promote and pg_rewind (as its source's non-superuser) need to call. */
export const REPLICATION_ROLE_FUNCTIONS = [
  'pg_catalog.pg_promote(boolean, integer)',
  'pg_catalog.pg_ls_dir(text, boolean, boolean)',
  'pg_catalog.pg_stat_file(text, boolean)',
  'pg_catalog.pg_read_binary_file(text)',
  'pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean)',
];

/**
 * PostgreSQL 13 and 14 have no pg_checkpoint role: there the bootstrap makes this SECURITY
 * DEFINER function, which only the replication role may execute, to checkpoint with.
 */
export const CHECKPOINT_FUNCTION = 'pgsynth.checkpoint()';

/**
 * How the replication role checkpoints a node: a new primary, whose control file names its new
 * timeline (which pg_rewind up to 15 reads) only after a checkpoint.
 */
export function checkpointSql(postgresVersion: number): string {
  return postgresVersion >= 15 ? 'CHECKPOINT' : `SELECT ${CHECKPOINT_FUNCTION}`;
}

/** The nodes that stream from `primary`, and the primary itself: the nodes its roles reach. */
function replicationGroup(spec: ClusterSpec, primary: PostgresNodeSpec): Set<string> {
  return new Set([primary.id, ...spec.postgres.filter((n) => n.replica?.upstreamId === primary.id).map((n) => n.id)]);
}

export function bootstrapRoles(spec: ClusterSpec, primary: PostgresNodeSpec): BootstrapRole[] {
  if (!primary.primary) throw new Error(`${primary.path} is not a primary`);
  const group = replicationGroup(spec, primary);
  const roles = new Map<string, BootstrapRole>();
  const add = (name: string, passwordEnv: string | null, purpose: string, extra: { attributes?: string[]; memberOf?: string[]; executes?: string[] } = {}) => {
    const role = roles.get(name) ?? { name, attributes: [], memberOf: [], executes: [], passwordEnv: null, purposes: [] };
    if (passwordEnv !== null && role.passwordEnv !== null && role.passwordEnv !== passwordEnv) {
      throw new Error(`role '${name}' is given two passwords ($${role.passwordEnv} and $${passwordEnv}); give each job its own role or one secret`);
    }
    role.passwordEnv ??= passwordEnv;
    for (const a of extra.attributes ?? []) if (!role.attributes.includes(a)) role.attributes.push(a);
    for (const m of extra.memberOf ?? []) if (!role.memberOf.includes(m)) role.memberOf.push(m);
    for (const f of extra.executes ?? []) if (!role.executes.includes(f)) role.executes.push(f);
    role.purposes.push(purpose);
    roles.set(name, role);
  };

  const { replication } = spec.roles;
  add(replication.name, replication.passwordEnv, 'streaming replication and base backups', { attributes: ['REPLICATION'] });
  if (group.size > 1) {
    // Failover without a superuser over TCP: failover.sh promotes a standby, checkpoints it so
    // pg_rewind sees the new timeline (pg_checkpoint from 15 on, CHECKPOINT_FUNCTION before) and
    // makes its slots (REPLICATION); a former primary rejoins with pg_rewind reading the new
    // primary's files.
    const before15 = spec.postgresVersion < 15;
    add(replication.name, replication.passwordEnv, 'failover: promote, checkpoint, slots, pg_rewind source', {
      memberOf: before15 ? [] : ['pg_checkpoint'],
      executes: before15 ? [...REPLICATION_ROLE_FUNCTIONS, CHECKPOINT_FUNCTION] : REPLICATION_ROLE_FUNCTIONS,
    });
  }
  const { owner, database } = primary.primary;
  add(owner.name, owner.passwordEnv, `owner of database ${database}`);
  for (const pool of spec.pgpools) {
    if (!pool.backends.some((b) => b.nodeId === null || group.has(b.nodeId))) continue;
    // pg_monitor lets sr_check read pg_stat_replication and the WAL positions of every node.
    add(pool.checkUser.name, pool.checkUser.passwordEnv, `streaming and health checks of ${pool.id}`, { memberOf: ['pg_monitor'] });
  }
  for (const haproxy of spec.haproxies) {
    const checked = [...haproxy.readWrite.servers, ...(haproxy.readOnly?.servers ?? [])].filter((s) => s.check !== 'pgpool');
    if (!checked.some((s) => group.has(s.name))) continue;
    // No password and no privileges: pg_hba.conf trusts it from the cluster network, and all it runs is pg_is_in_recovery().
    add(haproxy.checkUser, null, `pg_is_in_recovery() check of ${haproxy.id}`);
  }
  const superuser = roles.get(spec.roles.superuser.name);
  if (superuser) {
    // ALTER ROLE would overwrite the superuser's password and attributes.
    throw new Error(`the superuser '${superuser.name}' cannot double as a role of its own (${superuser.purposes.join('; ')}): name that role differently`);
  }
  return [...roles.values()];
}

/** The session setting a role's password is passed in, e.g. `pgsynth.replicator_password`. */
export function passwordSetting(roleName: string): string {
  // Part of a parameter name, and of a psql variable name in the init script: a plain identifier.
  if (!/^[a-z_][a-z0-9_]*$/.test(roleName)) throw new Error(`role '${roleName}' cannot name a session setting: use lower-case letters, digits and '_'`);
  return `pgsynth.${roleName}_password`;
}
