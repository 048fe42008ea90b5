import type { ClusterSpec, HaproxyFrontendSpec, HaproxyServerSpec, HaproxySpec } from '../../model/spec.js';
import { markerComment } from '../marker.js';
import { roleCheckRules } from './role-check.js';

type CheckKind = HaproxyServerSpec['check'];

interface Backend {
  name: string;
  /** The check every server of this backend runs; servers needing another one track a server elsewhere. */
  check: CheckKind;
  servers: HaproxyServerSpec[];
  leastconn: boolean;
  /** maxconn of each server: what one server takes at once before HAProxy queues. */
  maxConn: number | null;
}

const BACKEND_NAME: Record<CheckKind, string> = { pgpool: 'pgpool', primary: 'primary', standby: 'standbys' };

/** What the backend's own servers are checked for: the role of its non-backup servers. */
function checkOf(servers: HaproxyServerSpec[]): CheckKind {
  const first = servers.find((s) => !s.backup) ?? servers[0];
  if (!first) throw new Error('an HAProxy frontend without servers cannot be rendered');
  return first.check;
}

function sameServers(a: HaproxyServerSpec[], b: HaproxyServerSpec[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * One backend per distinct server list: RW and RO would share one reaching the same servers, so
 * its per-server `maxconn` caps what both frontends send together.
 */
function planBackends(haproxy: HaproxySpec): { rw: Backend; ro: Backend | null } {
  const rw: Backend = {
    name: BACKEND_NAME[checkOf(haproxy.readWrite.servers)],
    check: checkOf(haproxy.readWrite.servers),
    servers: haproxy.readWrite.servers,
    leastconn: false,
    maxConn: haproxy.readWrite.serverMaxConn,
  };
  const readOnly = haproxy.readOnly;
  if (!readOnly) return { rw, ro: null };
  if (sameServers(readOnly.servers, rw.servers)) return { rw, ro: rw };
  const check = checkOf(readOnly.servers);
  const name = BACKEND_NAME[check] === rw.name ? `${rw.name}_ro` : BACKEND_NAME[check];
  return { rw, ro: { name, check, servers: readOnly.servers, leastconn: true, maxConn: readOnly.serverMaxConn } };
}

/**
 * The backend each frontend forwards to (`ro` null without a read-only frontend): the names
 * `synth up` and `synth status` look for on the stats page.
 */
export function haproxyBackendNames(haproxy: HaproxySpec): { rw: string; ro: string | null } {
  const { rw, ro } = planBackends(haproxy);
  return { rw: rw.name, ro: ro?.name ?? null };
}

/** Path of the stats page (`stats uri`) on the stats port. */
export const HAPROXY_STATS_URI = '/';

/**
 * How often each server is checked. A node checked for its role: every 2 s, every 500 ms once a
 * check fails (marked down about 3 s after it dies, where 2 s × 3 would take 6) and while it is
 * down (a promoted or rejoined node serves about 1 s after it passes). Pgpool, the only server of
 * its backend, is slower to be marked down: that closes every session through it, and a Pgpool
 * busy failing over a node answers slowly for a moment.
 */
const CHECK_TIMING: Record<CheckKind, string> = {
  pgpool: 'inter 3s fall 3 rise 2',
  primary: 'inter 2s fastinter 500ms downinter 500ms fall 3 rise 2',
  standby: 'inter 2s fastinter 500ms downinter 500ms fall 3 rise 2',
};
const DOCKER_RESOLVERS = 'docker';

/** Docker's embedded DNS server, which every container on a user-defined network can ask. */
function resolversSection(): string {
  return section(`resolvers ${DOCKER_RESOLVERS}`, ['nameserver dns 127.0.0.11:53', 'hold valid 10s']);
}

function serverLine(haproxy: HaproxySpec, server: HaproxyServerSpec, backend: Backend, others: Backend[], dockerDns: boolean): string {
  const words = ['server', server.name, `${server.host}:${server.port}`];
  if (server.check === backend.check) {
    words.push('check', CHECK_TIMING[server.check]);
  } else {
    // A backend has one tcp-check sequence; a server needing the other role test mirrors the
    // state of the same server in the backend that runs that test.
    const tracked = others.find((b) => b.check === server.check && b.servers.some((s) => s.name === server.name));
    if (!tracked) throw new Error(`server ${server.name} needs a '${server.check}' check that no other backend runs`);
    words.push('track', `${tracked.name}/${server.name}`);
  }
  // Compose service names resolve only inside the network: start (and `haproxy -c`) anyway, and
  // keep asking Docker's DNS, since a recreated container comes back with another address.
  words.push('init-addr', 'last,libc,none');
  if (dockerDns) words.push('resolvers', DOCKER_RESOLVERS);
  if (backend.maxConn !== null) words.push('maxconn', String(backend.maxConn));
  words.push('on-marked-down', 'shutdown-sessions');
  if (server.backup) words.push('backup');
  return words.join(' ');
}

function section(header: string, lines: string[]): string {
  return [header, ...lines.map((line) => `    ${line}`)].join('\n');
}

function backendDescription(haproxy: HaproxySpec, backend: Backend): string {
  const backups = backend.servers.some((s) => s.backup) ? '; backup servers only while no other is up' : '';
  const what: Record<CheckKind, string> = {
    pgpool: 'Pgpool-II, which sends writes to the primary and balances reads over the standbys (TCP check)',
    primary: `the node answering pg_is_in_recovery() = f, checked as ${haproxy.checkUser}`,
    standby: `the standbys of the moment: each node answering pg_is_in_recovery() = t, checked as ${haproxy.checkUser}`,
  };
  return `description ${what[backend.check]}${backups}`;
}

function backendSection(haproxy: HaproxySpec, backend: Backend, others: Backend[], dockerDns: boolean): string {
  const lines = [backendDescription(haproxy, backend)];
  if (backend.leastconn) lines.push('balance leastconn');
  if (backend.check !== 'pgpool') lines.push(...roleCheckRules(backend.check, haproxy.checkUser));
  lines.push(...backend.servers.map((server) => serverLine(haproxy, server, backend, others, dockerDns)));
  return section(`backend ${backend.name}`, lines);
}

const FRONTEND_PURPOSE: Record<HaproxyFrontendSpec['name'], Record<CheckKind, string>> = {
  rw: {
    pgpool: 'read-write sessions, through Pgpool-II',
    primary: 'read-write sessions, to the primary only',
    standby: 'read-write sessions',
  },
  ro: {
    pgpool: 'read-only sessions, through Pgpool-II',
    primary: 'read-only sessions, to the primary',
    standby: 'read-only sessions, to the standbys only: a write fails there',
  },
};

function frontendSection(frontend: HaproxyFrontendSpec, backend: Backend): string {
  return section(`frontend ${frontend.name}`, [
    `description ${FRONTEND_PURPOSE[frontend.name][backend.check]}`,
    `bind ${frontend.bindAddress}:${frontend.port.listenPort}`,
    'option tcplog',
    `default_backend ${backend.name}`,
  ]);
}

function statsSection(stats: NonNullable<HaproxySpec['stats']>): string {
  return section('listen stats', [
    'description HAProxy statistics page (read-only)',
    'mode http',
    `bind ${stats.bindAddress}:${stats.port.listenPort}`,
    'option httplog',
    'stats enable',
    `stats uri ${HAPROXY_STATS_URI}`,
    'stats refresh 10s',
    // HAProxy expands the variable at start: the password never sits in this file.
    `stats auth ${stats.user.name}:"\${${stats.user.passwordEnv}}"`,
  ]);
}

function upstreamSummary(haproxy: HaproxySpec): string {
  return haproxy.upstream.kind === 'pgpool'
    ? `HAProxy in front of Pgpool-II ${haproxy.upstream.id}`
    : `HAProxy in front of ${haproxy.upstream.ids.join(', ')}, telling the primary from the standbys itself`;
}

/** haproxy.cfg: RW and RO TCP frontends for PostgreSQL clients and a stats page. */
export function renderHaproxyCfg(spec: ClusterSpec, haproxy: HaproxySpec): string {
  const { rw, ro } = planBackends(haproxy);
  const backends = ro && ro !== rw ? [rw, ro] : [rw];
  const t = haproxy.timeouts;
  const parts = [
    [
      markerComment('#'),
      `# ${haproxy.path}: ${upstreamSummary(haproxy)}; clients connect to the frontends below.`,
    ].join('\n'),
    section('global', [
      `maxconn ${haproxy.maxConn}`,
      '# A second HAProxy on the same ports fails to bind instead of silently sharing them.',
      'noreuseport',
      `pidfile ${haproxy.paths.pidFile}`,
      '# The runtime API: synth sets a node it is about to stop to maintenance here first, so no new session reaches it.',
      `stats socket ${haproxy.paths.adminSocket} mode 600 level admin`,
      'log stdout format raw local0 info',
    ]),
    section('defaults', [
      'mode tcp',
      'log global',
      'retries 2',
      '# A connection refused by a server not yet marked down is retried on another one.',
      'option redispatch',
      `timeout connect ${t.connect}`,
      '# Clients past every server\'s maxconn wait this long for a free slot, then are closed (log flag sQ).',
      `timeout queue ${t.queue}`,
      '# Pooled database sessions sit idle for long stretches.',
      `timeout client ${t.client}`,
      `timeout server ${t.server}`,
      `timeout check ${t.check}`,
    ]),
    ...(spec.target === 'compose' ? [resolversSection()] : []),
    frontendSection(haproxy.readWrite, rw),
  ];
  if (haproxy.readOnly && ro) parts.push(frontendSection(haproxy.readOnly, ro));
  for (const backend of backends) parts.push(backendSection(haproxy, backend, backends.filter((b) => b !== backend), spec.target === 'compose'));
  if (haproxy.stats) parts.push(statsSection(haproxy.stats));
  return `${parts.join('\n\n')}\n`;
}
