import { conninfoValue } from '../../conninfo.js';
import type { ClusterSpec, PostgresNodeSpec, ReplicaRoleSpec } from '../../model/spec.js';

// How a replica reaches its primary: the libpq connection string (primary_conninfo and
// pg_basebackup use the same one) and the password file that replaces a password in it.

export function replicaRole(node: PostgresNodeSpec): ReplicaRoleSpec {
  if (node.role !== 'replica' || !node.replica) throw new Error(`${node.path} is not a replica`);
  return node.replica;
}

/**
 * Where the replica's password file lives. On compose it is the postgres user's ~/.pgpass in the
 * container (outside the data volume); locally it sits next to the node's generated files.
 */
export function replicaPassfile(spec: ClusterSpec, node: PostgresNodeSpec): string {
  return spec.target === 'compose' ? '/var/lib/postgresql/.pgpass' : `${node.paths.configDir}/pgpass`;
}

/**
 * `host=… port=… user=… application_name=…`, without any password: libpq finds it in the
 * password file. application_name is what pg_stat_replication, synchronous_standby_names and
 * Pgpool know the standby by.
 */
export function replicationConninfo(spec: ClusterSpec, node: PostgresNodeSpec, options: { passfile: boolean }): string {
  const replica = replicaRole(node);
  const params: Array<[string, string | number]> = [
    ['host', replica.upstream.host],
    ['port', replica.upstream.port],
    ['user', spec.roles.replication.name],
    ['application_name', replica.applicationName],
  ];
  if (options.passfile) params.push(['passfile', replicaPassfile(spec, node)]);
  return params.map(([key, value]) => `${key}=${conninfoValue(value)}`).join(' ');
}
