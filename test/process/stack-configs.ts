/**
 * Hand-written minimal configs for the scratch stack test: just enough of
 * each file to run primary + replica + Pgpool-II + HAProxy on 127.0.0.1.
 */
import { createHash } from 'node:crypto';

export interface StackLayout {
  dir: string;
  socketDir: string;
  ports: { primary: number; replica: number; pgpool: number; pcp: number; rw: number; ro: number; stats: number };
  superPassword: string;
}

export function postgresqlConf(layout: StackLayout, port: number, hbaFile: string): string {
  return `listen_addresses = '127.0.0.1'
port = ${port}
unix_socket_directories = '${layout.socketDir}'
hba_file = '${hbaFile}'
max_connections = 60
shared_buffers = 32MB
wal_level = replica
max_wal_senders = 5
max_replication_slots = 5
hot_standby = on
logging_collector = off
log_destination = 'stderr'
log_line_prefix = '%m [%p] %q%a '
`;
}

export const pgHbaConf = `local all all trust
local replication all trust
host all all 127.0.0.1/32 scram-sha-256
host replication replicator 127.0.0.1/32 scram-sha-256
`;

export function pgpoolConf(layout: StackLayout, poolPasswdFile: string): string {
  const pgpoolDir = `${layout.dir}/pgpool`;
  return `backend_clustering_mode = 'streaming_replication'
listen_addresses = '127.0.0.1'
port = ${layout.ports.pgpool}
unix_socket_directories = '${layout.socketDir}'
pcp_listen_addresses = '127.0.0.1'
pcp_port = ${layout.ports.pcp}
pcp_socket_dir = '${layout.socketDir}'
wd_ipc_socket_dir = '${layout.socketDir}'
pid_file_name = '${pgpoolDir}/pgpool.pid'
logdir = '${pgpoolDir}'
memqcache_oiddir = '${pgpoolDir}/oiddir'
log_destination = 'stderr'
logging_collector = off

backend_hostname0 = '127.0.0.1'
backend_port0 = ${layout.ports.primary}
backend_weight0 = 1
backend_flag0 = 'ALLOW_TO_FAILOVER'
backend_application_name0 = 'primary'
backend_hostname1 = '127.0.0.1'
backend_port1 = ${layout.ports.replica}
backend_weight1 = 1
backend_flag1 = 'ALLOW_TO_FAILOVER'
backend_application_name1 = 'replica1'

num_init_children = 8
max_pool = 2
load_balance_mode = on
enable_pool_hba = on
pool_passwd = '${poolPasswdFile}'
allow_clear_text_frontend_auth = off

sr_check_period = 5
sr_check_user = 'postgres'
sr_check_password = '${layout.superPassword}'
search_primary_node_timeout = 10
health_check_period = 0
failover_on_backend_error = off
`;
}

export const poolHbaConf = `local all all trust
host all all 127.0.0.1/32 scram-sha-256
`;

/** pool_passwd with plain TEXT entries: Pgpool needs the clear password to do SCRAM with the backends. */
export function poolPasswd(users: Record<string, string>): string {
  return Object.entries(users)
    .map(([user, password]) => `${user}:TEXT${password}\n`)
    .join('');
}

/** pcp.conf holds md5(password) in hex. */
export function pcpConf(user: string, password: string): string {
  return `${user}:${createHash('md5').update(password).digest('hex')}\n`;
}

export function haproxyCfg(layout: StackLayout): string {
  const backend = (name: string) => `backend ${name}
  option pgsql-check user postgres
  default-server inter 300ms fastinter 100ms fall 3 rise 1
  server pgpool1 127.0.0.1:${layout.ports.pgpool} check
`;
  return `global
  noreuseport
  maxconn 200

defaults
  mode tcp
  timeout connect 2s
  timeout client 1m
  timeout server 1m
  timeout check 2s

frontend pg_rw
  bind 127.0.0.1:${layout.ports.rw}
  default_backend pgpool_rw

frontend pg_ro
  bind 127.0.0.1:${layout.ports.ro}
  default_backend pgpool_ro

${backend('pgpool_rw')}
${backend('pgpool_ro')}
listen stats
  mode http
  bind 127.0.0.1:${layout.ports.stats}
  stats enable
  stats uri /stats
`;
}
