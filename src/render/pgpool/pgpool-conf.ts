import type { ClusterSpec, PgpoolBackendSpec, PgpoolSpec } from '../../model/spec.js';
import { listenEntries, renderConf, type ConfEntry, type ConfSection } from '../conf-writer.js';
import { MARKER_TEXT } from '../marker.js';
import { pgpoolListenBacklog } from '../../model/ceilings.js';
import { PGPOOL_LISTEN_BACKLOG_MULTIPLIER } from '../../model/defaults.js';
import { failoverCommand } from './failover-script.js';

// pgpool.conf for streaming-replication mode. Every path is explicit (the built-in defaults point
// at /tmp, /var/run/postgresql and /var/log/pgpool) and no password is written: the check role's
// password is looked up in pool_passwd, which the entrypoint writes at start from the environment.

function clustering(): ConfSection {
  return {
    title: 'Clustering mode (Pgpool-II 4.2+; replaces master_slave_mode)',
    entries: [{ key: 'backend_clustering_mode', value: 'streaming_replication', comment: 'PostgreSQL replicates; Pgpool routes' }],
  };
}

/** 4.3 names the client socket folder `socket_dir`; 4.4 renamed it and 4.5 made both socket keys lists. */
function socketDirectories(pool: PgpoolSpec): ConfEntry[] {
  if (pool.version === '4.3') {
    return [
      { key: 'socket_dir', value: pool.paths.socketDir, comment: 'unix_socket_directories from 4.4 on' },
      { key: 'pcp_socket_dir', value: pool.paths.pcpSocketDir },
    ];
  }
  return [
    { key: 'unix_socket_directories', value: pool.paths.socketDir },
    { key: 'pcp_socket_dir', value: pool.paths.pcpSocketDir },
  ];
}

function connections(spec: ClusterSpec, pool: PgpoolSpec): ConfSection {
  return {
    title: 'Connections',
    entries: [
      ...listenEntries(spec.target, pool, 'HAProxy and published-port clients come over the network'),
      ...socketDirectories(pool),
      {
        key: 'pcp_listen_addresses',
        value: pool.pcp.listenAddresses,
        comment: pool.pcp.listenAddresses === '*' ? 'admin port: published because pcpHostPort is set' : 'admin port: never beyond this host',
      },
      { key: 'pcp_port', value: pool.pcp.port },
    ],
  };
}

function backendDescription(spec: ClusterSpec, backend: PgpoolBackendSpec): string {
  if (backend.nodeId === null) return `Backend ${backend.index}: ${backend.host}:${backend.port} (explicit address)`;
  const node = spec.postgres.find((n) => n.id === backend.nodeId);
  const role = node?.role === 'replica' ? `standby of ${node.replica?.upstreamId ?? 'its primary'}` : 'primary';
  return `Backend ${backend.index}: ${backend.nodeId} (${role})`;
}

function backendSection(spec: ClusterSpec, backend: PgpoolBackendSpec): ConfSection {
  const n = backend.index;
  return {
    title: backendDescription(spec, backend),
    entries: [
      { key: `backend_hostname${n}`, value: backend.host },
      { key: `backend_port${n}`, value: backend.port },
      { key: `backend_weight${n}`, value: backend.weight },
      { key: `backend_data_directory${n}`, value: backend.dataDirectory },
      { key: `backend_flag${n}`, value: backend.flag },
      {
        key: `backend_application_name${n}`,
        value: backend.applicationName,
        comment: backend.applicationName === '' ? 'not a standby' : "its application_name in the primary's pg_stat_replication",
      },
    ],
  };
}

function backends(spec: ClusterSpec, pool: PgpoolSpec): ConfSection[] {
  pool.backends.forEach((backend, i) => {
    if (backend.index !== i) throw new Error(`${pool.path}: backends must be numbered 0..n-1 without gaps; found ${backend.index} at position ${i}`);
  });
  return pool.backends.map((backend) => backendSection(spec, backend));
}

function pooling(pool: PgpoolSpec): ConfSection {
  return {
    title: 'Pooling: every child may hold max_pool connections to each backend',
    entries: [
      { key: 'num_init_children', value: pool.numInitChildren, comment: 'concurrent client sessions' },
      { key: 'max_pool', value: pool.maxPool, comment: 'cached backend connections per child' },
      {
        key: 'reserved_connections',
        value: pool.reservedConnections,
        comment: pool.reservedConnections === 0 ? 'clients beyond the children wait in the listen queue' : 'refuse, not queue, the last clients',
      },
      {
        key: 'listen_backlog_multiplier',
        value: PGPOOL_LISTEN_BACKLOG_MULTIPLIER,
        comment: `listen queue of ${PGPOOL_LISTEN_BACKLOG_MULTIPLIER} × num_init_children = ${pgpoolListenBacklog(pool)} waiting clients (capped by net.core.somaxconn)`,
      },
    ],
  };
}

function loadBalancing(pool: PgpoolSpec): ConfSection {
  return {
    title: 'Load balancing',
    entries: [
      { key: 'load_balance_mode', value: pool.loadBalance, comment: pool.loadBalance ? 'read-only SELECTs go to the standbys too' : 'every query goes to the primary' },
      {
        key: 'statement_level_load_balance',
        value: pool.statementLevelLoadBalance,
        comment: pool.statementLevelLoadBalance ? 'a new read target per statement' : 'one read target per session',
      },
    ],
  };
}

/** Both checks log in as the check role into `postgres`, its password read from pool_passwd. */
function checkLogin(prefix: 'sr_check' | 'health_check', pool: PgpoolSpec, userComment?: string): ConfEntry[] {
  return [
    { key: `${prefix}_user`, value: pool.checkUser.name, ...(userComment ? { comment: userComment } : {}) },
    { key: `${prefix}_password`, value: '', comment: 'empty: read from pool_passwd' },
    { key: `${prefix}_database`, value: 'postgres' },
  ];
}

function streamingCheck(pool: PgpoolSpec): ConfSection {
  return {
    title: 'Streaming-replication check: finds the primary and measures standby lag',
    entries: [
      { key: 'sr_check_period', value: pool.srCheckPeriod, comment: 'seconds' },
      ...checkLogin('sr_check', pool, 'LOGIN, member of pg_monitor'),
    ],
  };
}

function healthCheck(pool: PgpoolSpec): ConfSection {
  const hc = pool.healthCheck;
  return {
    title: 'Health check: how a dead backend is noticed',
    entries: [
      { key: 'health_check_period', value: hc.period, comment: hc.period === 0 ? 'disabled' : 'seconds' },
      { key: 'health_check_timeout', value: hc.timeout, comment: 'seconds' },
      ...checkLogin('health_check', pool),
      { key: 'health_check_max_retries', value: hc.maxRetries },
      { key: 'health_check_retry_delay', value: hc.retryDelay, comment: 'seconds' },
    ],
  };
}

function failover(pool: PgpoolSpec): ConfSection {
  // With retrying health checks, they decide; one failed client read should not detach a node,
  // and a standby that fails to connect is skipped for that session instead of failing it.
  const checksDecide = pool.healthCheck.period > 0 && pool.healthCheck.maxRetries > 0;
  const automatic = pool.failover === 'automatic';
  return {
    title: automatic
      ? 'Failover: a lost primary is replaced by the standby with the most WAL; the others follow it by themselves'
      : 'Failover (manual: nothing is promoted; the primary is never detached)',
    entries: [
      {
        key: 'failover_command',
        value: automatic ? failoverCommand(pool) : '',
        comment: automatic ? 'promotes over libpq when the primary is detached; nothing for a standby' : 'synth promote does it by hand',
      },
      {
        key: 'follow_primary_command',
        value: '',
        comment: "none: every standby's primary_conninfo lists all peers and connects to the read-write one",
      },
      {
        key: 'detach_false_primary',
        value: false,
        comment: 'its check compares primary_conninfo with one backend address; ours lists every peer',
      },
      {
        key: 'auto_failback',
        value: true,
        comment: 'a detached standby streaming again is attached again',
      },
      {
        key: 'failover_on_backend_error',
        value: !checksDecide,
        comment: checksDecide ? 'health checks with retries decide instead' : 'without retrying health checks, a failed read is the signal',
      },
      { key: 'search_primary_node_timeout', value: pool.searchPrimaryNodeTimeout, comment: 'seconds to look for the primary at start and after a failover' },
    ],
  };
}

function authentication(): ConfSection {
  return {
    title: 'Client authentication: SCRAM needs pool_hba.conf and a TEXT or AES entry per user in pool_passwd',
    entries: [
      { key: 'enable_pool_hba', value: true },
      { key: 'pool_passwd', value: 'pool_passwd', comment: 'next to this file; written at start, never committed' },
      { key: 'allow_clear_text_frontend_auth', value: false },
    ],
  };
}

function filesAndLogging(pool: PgpoolSpec): ConfSection {
  return {
    title: 'Files and logging',
    entries: [
      { key: 'pid_file_name', value: pool.paths.pidFile },
      { key: 'logdir', value: pool.paths.logDir, comment: 'holds pgpool_status' },
      { key: 'wd_ipc_socket_dir', value: pool.paths.socketDir, comment: 'watchdog is off; keeps even its socket out of /tmp' },
      { key: 'memqcache_oiddir', value: `${pool.paths.logDir}/oiddir`, comment: 'query cache is off; Pgpool still clears it at start' },
      { key: 'log_destination', value: 'stderr' },
      { key: 'logging_collector', value: false, comment: 'the container runtime or synth up collects stderr' },
    ],
  };
}

/** pgpool.conf for one Pgpool-II of the cluster, in the names of its version. */
export function renderPgpoolConf(spec: ClusterSpec, pool: PgpoolSpec): string {
  return renderConf(
    [
      clustering(),
      connections(spec, pool),
      ...backends(spec, pool),
      pooling(pool),
      loadBalancing(pool),
      streamingCheck(pool),
      healthCheck(pool),
      failover(pool),
      authentication(),
      filesAndLogging(pool),
    ],
    [MARKER_TEXT, `${pool.path}: Pgpool-II ${pool.version} in streaming-replication mode (${spec.target})`, 'No password in this file: the check role and the clients authenticate through pool_passwd.'],
    'pgpool',
  );
}
