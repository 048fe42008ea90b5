import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readmeExample } from '../../../fixtures/readme-example/cluster.config.js';
import { Cluster, Haproxy, Primary, Replica } from '../../../src/index.js';
import type { ClusterSpec } from '../../../src/model/spec.js';
import { HAPROXY_STATS_URI, haproxyBackendNames, renderHaproxyCfg } from '../../../src/render/haproxy/index.js';
import { MARKER_TEXT } from '../../../src/render/marker.js';
import { checkHaproxyCfg } from '../../support/real-tools.js';

/** The lines of one section (`frontend rw`, `backend pgpool`, …), indentation removed. */
function sectionLines(cfg: string, header: string): string[] {
  const lines = cfg.split('\n');
  const start = lines.indexOf(header);
  if (start < 0) throw new Error(`no section '${header}' in:\n${cfg}`);
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('    ')) break;
    body.push(line.trim());
  }
  return body;
}

function directCluster(): Cluster {
  const cluster = new Cluster({ name: 'direct' });
  const primary = new Primary(cluster, 'pg-primary', { hostPort: 5711, database: 'app' });
  const r1 = new Replica(cluster, 'pg-replica1', { primary, hostPort: 5712 });
  const r2 = new Replica(cluster, 'pg-replica2', { primary, hostPort: 5713 });
  new Haproxy(cluster, 'haproxy', { upstream: [primary, r1, r2], readWrite: { hostPort: 5700 }, readOnly: { hostPort: 5701 } });
  return cluster;
}

const localDir = mkdtempSync(join(tmpdir(), 'pgsynth-haproxy-local-'));
afterAll(() => rmSync(localDir, { recursive: true, force: true }));

describe('haproxy.cfg of the README example (compose)', () => {
  const spec = readmeExample().resolve({ target: 'compose' });
  const cfg = renderHaproxyCfg(spec, spec.haproxies[0]!);

  it('starts with the marker', () => {
    expect(cfg.split('\n')[0]).toBe(`# ${MARKER_TEXT}`);
  });

  it('sets global limits, refuses port sharing and logs to stdout', () => {
    expect(sectionLines(cfg, 'global')).toEqual([
      'maxconn 2000',
      '# A second HAProxy on the same ports fails to bind instead of silently sharing them.',
      'noreuseport',
      'pidfile /var/lib/haproxy/haproxy.pid',
      '# The runtime API: synth sets a node it is about to stop to maintenance here first, so no new session reaches it.',
      'stats socket /var/lib/haproxy/admin.sock mode 600 level admin',
      'log stdout format raw local0 info',
    ]);
  });

  it('proxies TCP with the timeouts of the spec', () => {
    const defaults = sectionLines(cfg, 'defaults');
    expect(defaults).toContain('mode tcp');
    expect(defaults).toContain('retries 2');
    expect(defaults.filter((l) => l.startsWith('timeout '))).toEqual([
      'timeout connect 5s',
      'timeout queue 60s',
      'timeout client 30m',
      'timeout server 30m',
      'timeout check 5s',
    ]);
  });

  it('sends read-write sessions to Pgpool at pgpool:9999, capped at num_init_children, and read-only ones to whichever nodes are standbys', () => {
    expect(sectionLines(cfg, 'frontend rw')).toContain('bind *:5000');
    expect(sectionLines(cfg, 'frontend rw')).toContain('default_backend pgpool');
    expect(sectionLines(cfg, 'frontend ro')).toContain('bind *:5001');
    expect(sectionLines(cfg, 'frontend ro')).toContain('default_backend standbys');
    const standbys = sectionLines(cfg, 'backend standbys');
    expect(standbys).toContain('tcp-check expect binary 440000000b00010000000174 comment "pg_is_in_recovery() = t: standby"');
    // The primary too: checked for pg_is_in_recovery() = t, it serves reads once a failover made it a standby.
    expect(standbys.filter((l) => l.startsWith('server '))).toEqual([
      'server pg-primary pg-primary:5432 check inter 2s fastinter 500ms downinter 500ms fall 3 rise 2 init-addr last,libc,none resolvers docker maxconn 32 on-marked-down shutdown-sessions',
      'server pg-replica1 pg-replica1:5432 check inter 2s fastinter 500ms downinter 500ms fall 3 rise 2 init-addr last,libc,none resolvers docker maxconn 32 on-marked-down shutdown-sessions',
      'server pg-replica2 pg-replica2:5432 check inter 2s fastinter 500ms downinter 500ms fall 3 rise 2 init-addr last,libc,none resolvers docker maxconn 32 on-marked-down shutdown-sessions',
    ]);
    const backend = sectionLines(cfg, 'backend pgpool');
    expect(backend.filter((l) => l.startsWith('server '))).toEqual([
      'server pgpool pgpool:9999 check inter 3s fall 3 rise 2 init-addr last,libc,none resolvers docker maxconn 32 on-marked-down shutdown-sessions',
    ]);
    expect(backend.some((l) => l.startsWith('tcp-check') || l.startsWith('option'))).toBe(false);
  });

  it('serves stats over HTTP with the password taken from the environment', () => {
    expect(sectionLines(cfg, 'listen stats')).toEqual([
      'description HAProxy statistics page (read-only)',
      'mode http',
      'bind *:8404',
      'option httplog',
      'stats enable',
      'stats uri /',
      'stats refresh 10s',
      'stats auth admin:"${SHOP_HAPROXY_STATS_PASSWORD}"',
    ]);
  });

  it('is accepted by haproxy -c', () => {
    const result = checkHaproxyCfg(cfg);
    expect(result.message).toContain('Configuration file is valid');
    expect(result.ok).toBe(true);
  });
});

describe('haproxy.cfg with the nodes as direct upstream', () => {
  const spec = directCluster().resolve({ target: 'compose' });
  const cfg = renderHaproxyCfg(spec, spec.haproxies[0]!);

  it('routes read-write to the node answering pg_is_in_recovery() = f', () => {
    const primary = sectionLines(cfg, 'backend primary');
    expect(primary.filter((l) => l.startsWith('tcp-check') || l.startsWith('option'))).toEqual([
      'option tcp-check',
      'tcp-check connect',
      // StartupMessage: user haproxy_check, database postgres, application_name haproxy-check.
      'tcp-check send-binary 0000004d000300007573657200686170726f78795f636865636b00646174616261736500706f737467726573006170706c69636174696f6e5f6e616d6500686170726f78792d636865636b0000 comment "startup packet: user haproxy_check, database postgres"',
      'tcp-check expect binary 520000000800000000 comment "AuthenticationOk: haproxy_check logs in by trust"',
      // Query 'select pg_is_in_recovery()' then Terminate, in one packet.
      'tcp-check send-binary 510000001f73656c6563742070675f69735f696e5f7265636f766572792829005800000004 comment "select pg_is_in_recovery(), then Terminate"',
      'tcp-check expect binary 440000000b00010000000166 comment "pg_is_in_recovery() = f: primary"',
    ]);
    expect(primary.filter((l) => l.startsWith('server '))).toEqual([
      'server pg-primary pg-primary:5432 check inter 2s fastinter 500ms downinter 500ms fall 3 rise 2 init-addr last,libc,none resolvers docker on-marked-down shutdown-sessions',
      'server pg-replica1 pg-replica1:5432 check inter 2s fastinter 500ms downinter 500ms fall 3 rise 2 init-addr last,libc,none resolvers docker on-marked-down shutdown-sessions',
      'server pg-replica2 pg-replica2:5432 check inter 2s fastinter 500ms downinter 500ms fall 3 rise 2 init-addr last,libc,none resolvers docker on-marked-down shutdown-sessions',
    ]);
  });

  it('balances read-only over the nodes answering as standbys (t) only: the primary fails that check, so no write gets through', () => {
    const standbys = sectionLines(cfg, 'backend standbys');
    expect(standbys).toContain('balance leastconn');
    expect(standbys).toContain('tcp-check expect binary 440000000b00010000000174 comment "pg_is_in_recovery() = t: standby"');
    expect(standbys.filter((l) => l.startsWith('server '))).toEqual([
      'server pg-primary pg-primary:5432 check inter 2s fastinter 500ms downinter 500ms fall 3 rise 2 init-addr last,libc,none resolvers docker on-marked-down shutdown-sessions',
      'server pg-replica1 pg-replica1:5432 check inter 2s fastinter 500ms downinter 500ms fall 3 rise 2 init-addr last,libc,none resolvers docker on-marked-down shutdown-sessions',
      'server pg-replica2 pg-replica2:5432 check inter 2s fastinter 500ms downinter 500ms fall 3 rise 2 init-addr last,libc,none resolvers docker on-marked-down shutdown-sessions',
    ]);
    expect(sectionLines(cfg, 'frontend ro')).toContain('default_backend standbys');
  });

  it('has no stats section when none is asked for', () => {
    expect(cfg).not.toContain('listen stats');
  });

  it('is accepted by haproxy -c', () => {
    expect(checkHaproxyCfg(cfg)).toMatchObject({ ok: true });
  });
});

describe('haproxy.cfg for the local target', () => {
  const check = (spec: ClusterSpec) => {
    const cfg = renderHaproxyCfg(spec, spec.haproxies[0]!);
    return { cfg, result: checkHaproxyCfg(cfg) };
  };

  it('binds 127.0.0.1 on the host ports, reaches Pgpool on its host port, keeps the pid file under localDir', () => {
    const { cfg, result } = check(readmeExample().resolve({ target: 'local', localDir }));
    expect(sectionLines(cfg, 'frontend rw')).toContain('bind 127.0.0.1:5100');
    expect(sectionLines(cfg, 'frontend ro')).toContain('bind 127.0.0.1:5101');
    expect(sectionLines(cfg, 'listen stats')).toContain('bind 127.0.0.1:8406');
    expect(sectionLines(cfg, 'backend pgpool').filter((l) => l.startsWith('server '))).toEqual([
      'server pgpool 127.0.0.1:9999 check inter 3s fall 3 rise 2 init-addr last,libc,none maxconn 32 on-marked-down shutdown-sessions',
    ]);
    // Docker's DNS exists only on compose; locally every server is an address.
    expect(cfg).not.toContain('resolvers');
    expect(sectionLines(cfg, 'global')).toContain(`pidfile ${localDir}/haproxy/haproxy.pid`);
    expect(sectionLines(cfg, 'global')).toContain(`stats socket ${localDir}/run/haproxy.sock mode 600 level admin`);
    expect(result).toMatchObject({ ok: true });
  });

  it('is accepted by haproxy -c with direct upstream too', () => {
    expect(check(directCluster().resolve({ target: 'local', localDir })).result).toMatchObject({ ok: true });
  });
});

describe('the facts synth up reads on the stats page, as data', () => {
  // haproxyBackendNames and HAPROXY_STATS_URI stand for what the file says: synth up and
  // synth status look for these names instead of parsing haproxy.cfg.
  function rwOnly(): Cluster {
    const cluster = new Cluster({ name: 'rw-only' });
    const primary = new Primary(cluster, 'pg-primary', { hostPort: 5711, database: 'app' });
    const r1 = new Replica(cluster, 'pg-replica1', { primary, hostPort: 5712 });
    new Haproxy(cluster, 'haproxy', { upstream: [primary, r1], readWrite: { hostPort: 5700 }, stats: { hostPort: 5702 } });
    return cluster;
  }
  it.each([
    ['README (RW through Pgpool, RO to the standbys)', readmeExample, { rw: 'pgpool', ro: 'standbys' }],
    ['direct nodes', directCluster, { rw: 'primary', ro: 'standbys' }],
    ['read-write only', rwOnly, { rw: 'primary', ro: null }],
  ] as const)('%s: the default_backend of each frontend and the stats uri', (_, cluster, expected) => {
    const spec = cluster().resolve({ target: 'local', localDir });
    const proxy = spec.haproxies[0]!;
    const cfg = renderHaproxyCfg(spec, proxy);
    const defaultBackend = (frontend: string) => (cfg.includes(`frontend ${frontend}\n`) ? sectionLines(cfg, `frontend ${frontend}`).find((l) => l.startsWith('default_backend '))!.split(' ')[1] : null);
    expect(haproxyBackendNames(proxy)).toEqual(expected);
    expect({ rw: defaultBackend('rw'), ro: defaultBackend('ro') }).toEqual(expected);
    if (proxy.stats) expect(sectionLines(cfg, 'listen stats')).toContain(`stats uri ${HAPROXY_STATS_URI}`);
  });
});

describe('checkHaproxyCfg', () => {
  it('rejects an unknown keyword with HAProxy’s own message', () => {
    const spec = readmeExample().resolve({ target: 'compose' });
    const broken = renderHaproxyCfg(spec, spec.haproxies[0]!).replace('    retries 2', '    retreis 2');
    const result = checkHaproxyCfg(broken);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/unknown keyword 'retreis' in 'defaults' section/);
  });

  it('rejects a config that only loads with warnings', () => {
    const result = checkHaproxyCfg('defaults\n    mode tcp\nlisten x\n    bind 127.0.0.1:1\n    stats enable\n    server s 127.0.0.1:2\n');
    expect(result.ok).toBe(false);
    expect(result.message).toContain('[WARNING]');
  });
});
