import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readmeExample } from '../../../fixtures/readme-example/cluster.config.js';
import { Cluster, PgPool, Primary, Replica } from '../../../src/index.js';
import type { PgpoolSpec } from '../../../src/model/spec.js';
import { MARKER_TEXT } from '../../../src/render/marker.js';
import { renderPgpoolConf, renderPoolHbaConf } from '../../../src/render/pgpool/index.js';
import { checkPgpoolConf } from '../../support/real-tools.js';

/** key → value as written after `=` (comments dropped), in file order. */
function settings(conf: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of conf.split('\n')) {
    const match = /^([a-z_0-9]+)\s*=\s*('[^']*'|\S+)/.exec(line);
    if (match) map.set(match[1]!, match[2]!);
  }
  return map;
}

const localDir = mkdtempSync(join(tmpdir(), 'pgsynth-pgpool-local-'));
afterAll(() => rmSync(localDir, { recursive: true, force: true }));

const compose = readmeExample().resolve({ target: 'compose' });
const pool = compose.pgpools[0]!;
const withVersion = (version: PgpoolSpec['version']): PgpoolSpec => ({ ...pool, version });

describe('pgpool.conf of the README example (compose)', () => {
  const conf = renderPgpoolConf(compose, pool);
  const s = settings(conf);

  it('starts with the marker and runs streaming-replication mode', () => {
    expect(conf.split('\n')[0]).toBe(`# ${MARKER_TEXT}`);
    expect(s.get('backend_clustering_mode')).toBe("'streaming_replication'");
  });

  it('numbers the backends 0..2 by service name and container port, with application names', () => {
    const backendLines = conf.split('\n').filter((l) => l.startsWith('backend_') && !l.startsWith('backend_clustering'));
    expect(backendLines.map((l) => l.replace(/\s+#.*$/, '').replace(/\s+=/, ' ='))).toEqual([
      "backend_hostname0 = 'pg-primary'",
      'backend_port0 = 5432',
      'backend_weight0 = 1',
      "backend_data_directory0 = '/var/lib/postgresql/data'",
      "backend_flag0 = 'ALLOW_TO_FAILOVER'",
      "backend_application_name0 = 'pg-primary'",
      "backend_hostname1 = 'pg-replica1'",
      'backend_port1 = 5432',
      'backend_weight1 = 1',
      "backend_data_directory1 = '/var/lib/postgresql/data'",
      "backend_flag1 = 'ALLOW_TO_FAILOVER'",
      "backend_application_name1 = 'pg-replica1'",
      "backend_hostname2 = 'pg-replica2'",
      'backend_port2 = 5432',
      'backend_weight2 = 1',
      "backend_data_directory2 = '/var/lib/postgresql/data'",
      "backend_flag2 = 'ALLOW_TO_FAILOVER'",
      "backend_application_name2 = 'pg-replica2'",
    ]);
    expect(conf).toMatch(/^backend_application_name1 = 'pg-replica1'/m);
  });

  it('listens on the network, keeps PCP local and every socket in /var/run/pgpool', () => {
    expect(Object.fromEntries([...s].filter(([k]) => /listen|port$|socket|pcp/.test(k)))).toEqual({
      listen_addresses: "'*'",
      listen_backlog_multiplier: '4',
      port: '9999',
      unix_socket_directories: "'/var/run/pgpool'",
      pcp_socket_dir: "'/var/run/pgpool'",
      pcp_listen_addresses: "'localhost'",
      pcp_port: '9898',
      wd_ipc_socket_dir: "'/var/run/pgpool'",
    });
  });

  it('pools, balances, checks and fails over as the spec says', () => {
    expect(Object.fromEntries([...s].filter(([k]) => /children|pool$|reserved|balance|sr_check|health_check|failover|search_primary/.test(k)))).toEqual({
      num_init_children: '32',
      max_pool: '4',
      reserved_connections: '0',
      load_balance_mode: 'on',
      statement_level_load_balance: 'off',
      sr_check_period: '5',
      sr_check_user: "'pgpool'",
      sr_check_password: "''",
      sr_check_database: "'postgres'",
      health_check_period: '1',
      health_check_timeout: '5',
      health_check_user: "'pgpool'",
      health_check_password: "''",
      health_check_database: "'postgres'",
      health_check_max_retries: '2',
      health_check_retry_delay: '1',
      // automatic on compose too: its entrypoints fence a returning primary (the primary claim)
      failover_command: "'bash /etc/pgpool2/failover.sh %d %P'",
      failover_on_backend_error: 'off',
      search_primary_node_timeout: '10',
    });
    expect(s.get('follow_primary_command')).toBe("''");
    expect(s.get('detach_false_primary')).toBe('off');
    expect(s.get('auto_failback')).toBe('on');
  });

  it('fails over automatically by default on both targets, and never with failover: manual', () => {
    const cluster = (failover?: 'automatic' | 'manual') => {
      const c = new Cluster({ name: 'shop', postgresVersion: 15 });
      const primary = new Primary(c, 'pg-primary', { hostPort: 5611, database: 'app' });
      const replica = new Replica(c, 'pg-replica1', { primary, hostPort: 5612 });
      new PgPool(c, 'pgpool', { backends: [primary, replica], hostPort: 9999, ...(failover ? { failover } : {}) });
      return c;
    };
    const conf = (c: Cluster, target: 'compose' | 'local') => {
      const spec = c.resolve({ target, localDir: '/tmp/pgsynth-failover-conf' });
      return settings(renderPgpoolConf(spec, spec.pgpools[0]!));
    };
    const local = conf(cluster(), 'local');
    expect(local.get('failover_command')).toBe("'bash /tmp/pgsynth-failover-conf/pgpool/failover.sh %d %P'");
    expect(local.get('backend_flag0')).toBe("'ALLOW_TO_FAILOVER'");
    expect(conf(cluster(), 'compose').get('failover_command')).toBe("'bash /etc/pgpool2/failover.sh %d %P'");
    expect(conf(cluster(), 'compose').get('backend_flag0')).toBe("'ALLOW_TO_FAILOVER'");
    expect(conf(cluster('manual'), 'compose').get('failover_command')).toBe("''");
    const manual = conf(cluster('manual'), 'local');
    expect(manual.get('failover_command')).toBe("''");
    expect(manual.get('backend_flag0')).toBe("'DISALLOW_TO_FAILOVER'");
  });

  it('authenticates clients through pool_hba.conf and pool_passwd, never in clear text', () => {
    expect(s.get('enable_pool_hba')).toBe('on');
    expect(s.get('pool_passwd')).toBe("'pool_passwd'");
    expect(s.get('allow_clear_text_frontend_auth')).toBe('off');
  });

  it('sets every path and logs to stderr', () => {
    expect(s.get('pid_file_name')).toBe("'/var/run/pgpool/pgpool.pid'");
    expect(s.get('logdir')).toBe("'/var/run/pgpool'");
    expect(s.get('memqcache_oiddir')).toBe("'/var/run/pgpool/oiddir'");
    expect(s.get('log_destination')).toBe("'stderr'");
    expect(s.get('logging_collector')).toBe('off');
  });

  it('holds no password: every *password key is empty', () => {
    const passwords = [...s].filter(([k]) => k.includes('password'));
    expect(passwords).toEqual([
      ['sr_check_password', "''"],
      ['health_check_password', "''"],
    ]);
  });

  it('turns failover_on_backend_error on when no retrying health check would notice a dead node', () => {
    const noRetries = { ...pool, healthCheck: { ...pool.healthCheck, maxRetries: 0 } };
    expect(settings(renderPgpoolConf(compose, noRetries)).get('failover_on_backend_error')).toBe('on');
  });
});

describe('pgpool.conf names sockets as its version does', () => {
  it('4.3: socket_dir', () => {
    const s = settings(renderPgpoolConf(compose, withVersion('4.3')));
    expect(s.get('socket_dir')).toBe("'/var/run/pgpool'");
    expect(s.has('unix_socket_directories')).toBe(false);
    expect(s.get('pcp_socket_dir')).toBe("'/var/run/pgpool'");
  });

  it.each(['4.4', '4.5', '4.6'] as const)('%s: unix_socket_directories', (version) => {
    const s = settings(renderPgpoolConf(compose, withVersion(version)));
    expect(s.get('unix_socket_directories')).toBe("'/var/run/pgpool'");
    expect(s.has('socket_dir')).toBe(false);
  });
});

describe('pool_hba.conf of the README example', () => {
  const hba = renderPoolHbaConf(compose, pool);

  it('admits the application role with SCRAM over the socket and from the compose subnet, then rejects everything else', () => {
    const rows = hba.split('\n').filter((l) => l !== '' && !l.startsWith('#')).map((l) => l.split(/\s+/));
    expect(rows).toEqual([
      ['local', 'all', 'app', 'scram-sha-256'],
      ['host', 'all', 'app', compose.network.subnet, 'scram-sha-256'],
      ['host', 'all', 'all', '0.0.0.0/0', 'reject'],
    ]);
    expect(hba.split('\n')[0]).toBe(`# ${MARKER_TEXT}`);
    expect(hba).toContain('# clients over the socket\nlocal ');
  });

  it('refuses a method Pgpool-II does not have', () => {
    const peer = { ...pool, poolHba: [{ type: 'local' as const, database: 'all', user: 'all', method: 'peer' as const, comment: 'x' }] };
    expect(() => renderPoolHbaConf(compose, peer)).toThrow(/no 'peer' method/);
  });
});

describe('real Pgpool-II accepts the renderings', () => {
  const poolHba = renderPoolHbaConf(compose, pool);

  it('4.3 (compose): parsed by pgpool 4.3.5 with pool_hba.conf', () => {
    expect(checkPgpoolConf(renderPgpoolConf(compose, withVersion('4.3')), { poolHba, version: '4.3' })).toMatchObject({ ok: true });
  });

  it.each(['4.4', '4.5', '4.6'] as const)('%s (compose): every key known to that release, common keys parsed by pgpool 4.3.5', (version) => {
    expect(checkPgpoolConf(renderPgpoolConf(compose, withVersion(version)), { poolHba, version })).toMatchObject({ ok: true });
  });

  it('local target, 4.3 and 4.5: loopback, host ports, paths under localDir', () => {
    const local = readmeExample().resolve({ target: 'local', localDir });
    const localPool = local.pgpools[0]!;
    const conf = renderPgpoolConf(local, localPool);
    const s = settings(conf);
    expect(s.get('listen_addresses')).toBe("'127.0.0.1'");
    expect(s.get('backend_port2')).toBe('5613');
    expect(s.get('pid_file_name')).toBe(`'${localDir}/pgpool/pgpool.pid'`);
    const localHba = renderPoolHbaConf(local, localPool);
    expect(checkPgpoolConf(conf, { poolHba: localHba, version: '4.5' })).toMatchObject({ ok: true });
    expect(checkPgpoolConf(renderPgpoolConf(local, { ...localPool, version: '4.3' }), { poolHba: localHba, version: '4.3' })).toMatchObject({
      ok: true,
    });
  });
});

describe('checkPgpoolConf rejects what Pgpool-II would refuse or silently ignore', () => {
  const conf = renderPgpoolConf(compose, withVersion('4.3'));

  it('a bad enum value, with pgpool’s own message', () => {
    const result = checkPgpoolConf(conf.replace("'streaming_replication'", "'streaming'"), { version: '4.3' });
    expect(result.ok).toBe(false);
    expect(result.message).toContain('invalid value for parameter "backend_clustering_mode": "streaming"');
  });

  it('a value out of range', () => {
    const result = checkPgpoolConf(conf.replace(/^port(\s*)= 9999/m, 'port$1= 99'), { version: '4.3' });
    expect(result.ok).toBe(false);
    expect(result.message).toContain('99 is outside the valid range for parameter "port" (1024 .. 65535)');
  });

  it('an unknown key, which pgpool itself skips without a word', () => {
    const result = checkPgpoolConf(`${conf}master_slave_mode = on\n`, { version: '4.3' });
    expect(result).toEqual({ ok: false, message: expect.stringContaining('Pgpool-II 4.3 has no parameter "master_slave_mode"') });
  });

  it('the 4.4 socket key in a 4.3 file, and the 4.3 one in a 4.5 file', () => {
    expect(checkPgpoolConf(renderPgpoolConf(compose, withVersion('4.4')), { version: '4.3' }).message).toContain('no parameter "unix_socket_directories"');
    expect(checkPgpoolConf(conf, { version: '4.5' }).message).toContain('no parameter "socket_dir"');
  });

  it('a boolean pgpool would misread', () => {
    const result = checkPgpoolConf(conf.replace(/^enable_pool_hba(\s*)= on/m, 'enable_pool_hba$1= maybe'), { version: '4.3' });
    expect(result).toEqual({ ok: false, message: expect.stringContaining('"enable_pool_hba" needs on or off') });
  });

  it('a broken pool_hba.conf, with pgpool’s own message', () => {
    const result = checkPgpoolConf(conf, { poolHba: 'host all all 10.0.0.0/33 scram-sha-256\nhost all all 10.0.0.0/8 bogus\n', version: '4.3' });
    expect(result.ok).toBe(false);
    expect(result.message).toContain('invalid CIDR mask in address "10.0.0.0/33"');
    expect(result.message).toContain('invalid authentication method "bogus"');
  });
});
