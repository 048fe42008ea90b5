import { conninfoValue } from '../../conninfo.js';
import type { ClusterSpec, MemberSpec, PostgresNodeSpec, ReplicaRoleSpec } from '../../model/spec.js';

// How a replica reaches its primary: the libpq connection string (primary_conninfo and
// pg_basebackup use the same one) and the password file that replaces a password in it.

export function replicaRole(node: PostgresNodeSpec): ReplicaRoleSpec {
  if (node.role !== 'replica' || !node.replica) throw new Error(`${node.path} is not a replica`);
  return node.replica;
}

export function memberOf(node: PostgresNodeSpec): MemberSpec {
  if (!node.member) throw new Error(`${node.path} has no replication peers`);
  return node.member;
}

/**
 * Where the node's replication password file lives. On compose it is the postgres user's ~/.pgpass in the
 * container (outside the data volume); locally it sits next to the node's generated files.
 */
export function replicaPassfile(spec: ClusterSpec, node: PostgresNodeSpec): string {
  return spec.target === 'compose' ? '/var/lib/postgresql/.pgpass' : `${node.paths.configDir}/pgpass`;
}

/**
 * `host=a,b port=1,2 … target_session_attrs=read-write`, without any password: libpq finds it in
 * the password file. Every other node of the group is listed and libpq connects to the one that
 * accepts writes, so a standby follows whichever node was promoted (with
 * recovery_target_timeline = latest, the default) without being repointed. application_name is
 * what pg_stat_replication, synchronous_standby_names and Pgpool know the standby by.
 */
export function replicationConninfo(spec: ClusterSpec, node: PostgresNodeSpec, options: { passfile: boolean }): string {
  const member = memberOf(node);
  const params: Array<[string, string | number]> = [
    ['host', member.peers.map((p) => p.host).join(',')],
    ['port', member.peers.map((p) => p.port).join(',')],
    ['user', spec.roles.replication.name],
    ['application_name', member.applicationName],
    ['target_session_attrs', 'read-write'],
    // A peer whose address does not answer (a partitioned container) must not hold up the next one.
    ['connect_timeout', 5],
  ];
  if (options.passfile) params.push(['passfile', replicaPassfile(spec, node)]);
  return params.map(([key, value]) => `${key}=${conninfoValue(value)}`).join(' ');
}
