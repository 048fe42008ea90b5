import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readmeExample } from '../../../fixtures/readme-example/cluster.config.js';
import { Cluster, Haproxy, Primary, Replica } from '../../../src/index.js';
import type { ClusterSpec } from '../../../src/model/spec.js';
import { composeFileLayout, renderComposeYaml, renderEnvExample, renderGitignore } from '../../../src/render/compose/index.js';
import { renderHaproxyCfg } from '../../../src/render/haproxy/index.js';
import { MARKER_TEXT } from '../../../src/render/marker.js';
import { renderPgpoolConf, renderPgpoolEntrypoint, renderPoolHbaConf } from '../../../src/render/pgpool/index.js';
import { checkComposeYaml } from '../../support/real-tools.js';

type Service = Record<string, unknown> & { environment?: Record<string, string>; volumes: string[]; ports: string[] };

const spec = readmeExample().resolve({ target: 'compose' });
const yamlText = renderComposeYaml(spec);
const compose = parse(yamlText) as { services: Record<string, Service>; volumes: Record<string, unknown>; networks: Record<string, unknown> };
const service = (id: string): Service => compose.services[id]!;

/** The mounted files, with placeholder content: docker-compose only needs them to exist. */
function layoutFiles(s: ClusterSpec): Record<string, string> {
  return Object.fromEntries(composeFileLayout(s).map((m) => [m.path, `# ${m.path}\n`]));
}

const SECRET_REF = (env: string) => `\${${env}:?set ${env} in .env (see .env.example)}`;

describe('docker-compose.yml of the README example', () => {
  it('begins with the marker and has only services, volumes and networks', () => {
    expect(yamlText.split('\n')[0]).toBe(`# ${MARKER_TEXT}`);
    expect(Object.keys(compose)).toEqual(['services', 'volumes', 'networks']);
    expect(Object.keys(compose.services)).toEqual(['pg-primary', 'pg-replica1', 'pg-replica2', 'pgpool', 'haproxy']);
  });

  it('publishes every port on 127.0.0.1 as quoted host:container strings', () => {
    expect(Object.fromEntries(Object.entries(compose.services).map(([id, s]) => [id, s.ports]))).toEqual({
      'pg-primary': ['127.0.0.1:5611:5432'],
      'pg-replica1': ['127.0.0.1:5612:5432'],
      'pg-replica2': ['127.0.0.1:5613:5432'],
      pgpool: ['127.0.0.1:9999:9999'],
      haproxy: ['127.0.0.1:5100:5000', '127.0.0.1:5101:5001', '127.0.0.1:8406:8404'],
    });
    expect(yamlText).toContain('      - "127.0.0.1:5611:5432"\n');
  });

  it('starts the primary through its own entrypoint (initdb, bootstrap, postgres), on its own volume', () => {
    const primary = service('pg-primary');
    expect(primary).toMatchObject({
      image: 'postgres:17-bookworm',
      hostname: 'pg-primary',
      entrypoint: ['bash', '/etc/pgsynth/entrypoint.sh'],
      shm_size: '256m',
      stop_signal: 'SIGINT',
      stop_grace_period: '60s',
      networks: ['shop-net'],
    });
    // Nothing of the image's own init machinery: no command, no POSTGRES_* variables, no initdb.d mount.
    expect(primary).not.toHaveProperty('command');
    expect(primary).not.toHaveProperty('container_name');
    expect(primary).not.toHaveProperty('depends_on');
    expect(primary.volumes).toEqual([
      'pg-primary-data:/var/lib/postgresql/data',
      // The primary claim (src/render/cluster-state.ts), shared with the other nodes and Pgpool.
      'cluster-state:/var/lib/pgsynth/cluster-state',
      './pg-primary:/etc/pgsynth:ro',
    ]);
    expect(primary.environment).toEqual({
      SHOP_POSTGRES_PASSWORD: SECRET_REF('SHOP_POSTGRES_PASSWORD'),
      SHOP_REPLICATION_PASSWORD: SECRET_REF('SHOP_REPLICATION_PASSWORD'),
      SHOP_APP_PASSWORD: SECRET_REF('SHOP_APP_PASSWORD'),
      SHOP_PGPOOL_PASSWORD: SECRET_REF('SHOP_PGPOOL_PASSWORD'),
    });
  });

  it('is healthy once bootstrapped, accepting queries on its socket and listening on TCP (not during first-start initialization)', () => {
    expect(service('pg-primary').healthcheck).toEqual({
      test: [
        'CMD',
        'bash',
        '-c',
        'test -f /var/lib/postgresql/data/pgsynth-bootstrap.done && PATH=/usr/lib/postgresql/17/bin:$$PATH pg_isready -q -h /var/run/postgresql -p 5432 -U postgres -d postgres && exec 3<>/dev/tcp/127.0.0.1/5432',
      ],
      interval: '5s',
      timeout: '5s',
      retries: 5,
      start_period: '5m',
    });
  });

  it('starts each replica through its entrypoint once the primary started: after a failover the initial primary waits for the replica promoted', () => {
    const replica = service('pg-replica1');
    expect(replica).toMatchObject({
      entrypoint: ['bash', '/etc/pgsynth/entrypoint.sh'],
      depends_on: { 'pg-primary': { condition: 'service_started' } },
      environment: { SHOP_REPLICATION_PASSWORD: SECRET_REF('SHOP_REPLICATION_PASSWORD') },
    });
    expect(replica.volumes).toEqual([
      'pg-replica1-data:/var/lib/postgresql/data',
      'cluster-state:/var/lib/pgsynth/cluster-state',
      './pg-replica1:/etc/pgsynth:ro',
    ]);
    // entrypoint.sh runs `postgres -D "$PGDATA" -c config_file=… "$@"`: a compose command would
    // arrive as "$@" and make postgres refuse a stray "postgres" argument.
    expect(replica).not.toHaveProperty('command');
  });

  it('starts Pgpool after the primary and the sync standby are healthy and the async one started, with the passwords its entrypoint turns into pool_passwd and pcp.conf', () => {
    expect(service('pgpool')).toMatchObject({
      image: 'pgpool/pgpool:4.5',
      entrypoint: ['bash', '/etc/pgpool2/entrypoint.sh'],
      depends_on: {
        'pg-primary': { condition: 'service_healthy' },
        'pg-replica1': { condition: 'service_healthy' },
        'pg-replica2': { condition: 'service_started' },
      },
      environment: {
        SHOP_APP_PASSWORD: SECRET_REF('SHOP_APP_PASSWORD'),
        SHOP_PGPOOL_PASSWORD: SECRET_REF('SHOP_PGPOOL_PASSWORD'),
        SHOP_PCP_PASSWORD: SECRET_REF('SHOP_PCP_PASSWORD'),
        // failover.sh promotes over libpq as the replication role (automatic failover, the default).
        SHOP_REPLICATION_PASSWORD: SECRET_REF('SHOP_REPLICATION_PASSWORD'),
      },
      // A session, not a TCP connect: Pgpool accepts connections while every session fails.
      healthcheck: {
        test: ['CMD', 'bash', '-c', `PGPASSWORD="$$SHOP_APP_PASSWORD" PGCONNECT_TIMEOUT=4 psql -XAtq -h /var/run/pgpool -p 9999 -U app -d app -c 'SELECT 1' >/dev/null`],
      },
      stop_signal: 'SIGINT',
      volumes: [
        // failover.sh writes the primary claim there after a promotion.
        'cluster-state:/var/lib/pgsynth/cluster-state',
        './pgpool:/etc/pgpool2:ro',
      ],
    });
  });

  it('starts HAProxy after Pgpool, with its config mounted where the image reads it', () => {
    expect(service('haproxy')).toMatchObject({
      image: 'haproxy:2.8',
      entrypoint: ['haproxy', '-W', '-db', '-f', '/usr/local/etc/haproxy/haproxy.cfg'],
      depends_on: { pgpool: { condition: 'service_healthy' } },
      environment: { SHOP_HAPROXY_STATS_PASSWORD: SECRET_REF('SHOP_HAPROXY_STATS_PASSWORD') },
      volumes: ['./haproxy:/usr/local/etc/haproxy:ro'],
    });
  });

  it('declares one data volume per PostgreSQL node, the cluster-state volume and the network with its subnet', () => {
    expect(compose.volumes).toEqual({ 'pg-primary-data': {}, 'pg-replica1-data': {}, 'pg-replica2-data': {}, 'cluster-state': {} });
    expect(compose.networks).toEqual({ 'shop-net': { driver: 'bridge', ipam: { config: [{ subnet: spec.network.subnet }] } } });
  });

  it('mounts exactly the files of composeFileLayout', () => {
    expect(composeFileLayout(spec)).toEqual([
      { path: 'pg-primary/postgresql.conf', mountedAt: '/etc/pgsynth/postgresql.conf' },
      { path: 'pg-primary/pg_hba.conf', mountedAt: '/etc/pgsynth/pg_hba.conf' },
      { path: 'pg-primary/entrypoint.sh', mountedAt: '/etc/pgsynth/entrypoint.sh' },
      { path: 'pg-primary/init.sh', mountedAt: '/etc/pgsynth/init.sh' },
      { path: 'pg-replica1/postgresql.conf', mountedAt: '/etc/pgsynth/postgresql.conf' },
      { path: 'pg-replica1/pg_hba.conf', mountedAt: '/etc/pgsynth/pg_hba.conf' },
      { path: 'pg-replica1/entrypoint.sh', mountedAt: '/etc/pgsynth/entrypoint.sh' },
      { path: 'pg-replica2/postgresql.conf', mountedAt: '/etc/pgsynth/postgresql.conf' },
      { path: 'pg-replica2/pg_hba.conf', mountedAt: '/etc/pgsynth/pg_hba.conf' },
      { path: 'pg-replica2/entrypoint.sh', mountedAt: '/etc/pgsynth/entrypoint.sh' },
      { path: 'pgpool/pgpool.conf', mountedAt: '/etc/pgpool2/pgpool.conf' },
      { path: 'pgpool/pool_hba.conf', mountedAt: '/etc/pgpool2/pool_hba.conf' },
      { path: 'pgpool/entrypoint.sh', mountedAt: '/etc/pgpool2/entrypoint.sh' },
      { path: 'pgpool/failover.sh', mountedAt: '/etc/pgpool2/failover.sh' },
      { path: 'haproxy/haproxy.cfg', mountedAt: '/usr/local/etc/haproxy/haproxy.cfg' },
    ]);
    // Each service's folder is mounted whole (a file replaced by rename would stay invisible to a
    // single-file mount), and nothing else is mounted.
    const bindMounts = Object.values(compose.services).flatMap((s) => s.volumes.filter((v) => v.startsWith('./')));
    const dirs = [...new Set(composeFileLayout(spec).map((m) => m.path.split('/')[0]!))];
    expect(bindMounts).toEqual(
      dirs.map((id) => `./${id}:${composeFileLayout(spec).find((m) => m.path.startsWith(`${id}/`))!.mountedAt.replace(/\/[^/]+$/, '')}:ro`),
    );
  });

  it('is accepted by docker-compose 1.29 (config -q) and the compose-spec schema', () => {
    const result = checkComposeYaml(yamlText, layoutFiles(spec));
    expect(result.message).not.toMatch(/error|unsupported|invalid/i);
    expect(result.ok).toBe(true);
  });

  it('with the nodes as HAProxy’s direct upstream, is accepted too', () => {
    const cluster = new Cluster({ name: 'direct', bindAddress: '127.0.0.1' });
    const primary = new Primary(cluster, 'db1', { hostPort: 5811, database: 'app' });
    const replica = new Replica(cluster, 'db2', { primary, hostPort: 5812 });
    new Haproxy(cluster, 'proxy', { upstream: [primary, replica], readWrite: { hostPort: 5800 } });
    const direct = cluster.resolve({ target: 'compose' });
    const text = renderComposeYaml(direct);
    expect((parse(text) as typeof compose).services.proxy).toMatchObject({
      depends_on: { db1: { condition: 'service_healthy' }, db2: { condition: 'service_healthy' } },
      ports: ['127.0.0.1:5800:5000'],
    });
    expect((parse(text) as typeof compose).services.proxy).not.toHaveProperty('environment');
    expect(checkComposeYaml(text, layoutFiles(direct))).toMatchObject({ ok: true });
  });

  it('is rendered only from the compose address plan', () => {
    expect(() => renderComposeYaml(readmeExample().resolve({ target: 'local', localDir: '/tmp/pgsynth-unused' }))).toThrow(/compose address plan/);
  });
});

describe('.env.example and .gitignore', () => {
  it('names the compose project after the cluster and lists every secret, empty, under its purpose', () => {
    const text = renderEnvExample(spec);
    expect(text.split('\n')[0]).toBe(`# ${MARKER_TEXT}`);
    const assignments = text.split('\n').filter((l) => !l.startsWith('#') && l !== '');
    expect(assignments).toEqual(['COMPOSE_PROJECT_NAME=shop', ...spec.secrets.map((s) => `${s.env}=`)]);
    for (const { env, purpose } of spec.secrets) expect(text).toContain(`# ${purpose}\n${env}=\n`);
    expect(assignments).toHaveLength(7);
  });

  it('keeps .env out of git', () => {
    expect(renderGitignore(spec)).toBe(`# ${MARKER_TEXT}\n# The passwords: only .env.example, with empty values, belongs in git.\n.env\n`);
  });
});

describe('no password in any file these renderers generate', () => {
  it('refers to every secret only by its variable, even when the variables are set while rendering', () => {
    const sentinels = Object.fromEntries(spec.secrets.map((s, i) => [s.env, `sentinel-password-${i}`]));
    const saved = { ...process.env };
    Object.assign(process.env, sentinels);
    try {
      const s = readmeExample().resolve({ target: 'compose' });
      const pool = s.pgpools[0]!;
      const texts = [
        renderComposeYaml(s),
        renderEnvExample(s),
        renderGitignore(spec),
        renderPgpoolConf(s, pool),
        renderPoolHbaConf(s, pool),
        renderPgpoolEntrypoint(s, pool),
        renderHaproxyCfg(s, s.haproxies[0]!),
      ];
      for (const text of texts) expect(text).not.toContain('sentinel-password');
      const env = Object.values((parse(texts[0]!) as typeof compose).services).flatMap((svc) => Object.entries(svc.environment ?? {}));
      for (const [key, value] of env) if (/PASSWORD/.test(key)) expect(value).toMatch(/^\$\{[A-Z0-9_]+:\?[^}]+\}$/);
    } finally {
      process.env = saved;
    }
  });
});

describe('checkComposeYaml rejects what docker-compose or the schema refuse', () => {
  it('an unknown service key', () => {
    const result = checkComposeYaml(yamlText.replace('    restart: unless-stopped\n', '    restart_policy: always\n'), layoutFiles(spec));
    expect(result.ok).toBe(false);
    expect(result.message).toContain("Unsupported config option for services.pg-primary: 'restart_policy'");
    expect(result.message).toContain('compose-spec schema: /services/pg-primary must NOT have additional properties {"additionalProperty":"restart_policy"}');
  });

  it('a wrongly typed value, by the schema as well', () => {
    const result = checkComposeYaml(yamlText.replace('      retries: 5\n', '      retries: five\n'), layoutFiles(spec));
    expect(result.ok).toBe(false);
    expect(result.message).toContain('compose-spec schema: /services/pg-primary/healthcheck/retries must be number');
  });

  it('a top-level name:, which docker-compose 1.29 does not know', () => {
    const result = checkComposeYaml(`name: shop\n${yamlText}`, layoutFiles(spec));
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/name/);
  });

  it('a depends_on naming no service', () => {
    const result = checkComposeYaml(yamlText.replace('      pgpool:\n        condition: service_healthy', '      pgpoool:\n        condition: service_healthy'), layoutFiles(spec));
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/pgpoool/);
  });
});

describe('docker-compose.yml with secretFiles: passwords as compose secrets, not environment values', () => {
  const cluster = readmeExample();
  (cluster.props as { secretFiles: boolean }).secretFiles = true;
  const s = cluster.resolve({ target: 'compose' });
  const text = renderComposeYaml(s);
  const parsed = parse(text) as { services: Record<string, Service & { secrets?: string[]; entrypoint?: string[]; healthcheck?: { test: string[] } }>; secrets: Record<string, { file: string }> };

  it('declares every password as a file in secrets/ and gives each service only the ones it needs, as VAR_FILE', () => {
    expect(parsed.secrets).toEqual(Object.fromEntries(s.secrets.map(({ env }) => [env, { file: `./secrets/${env}` }])));
    expect(parsed.services['pg-replica1']!.secrets).toEqual(['SHOP_REPLICATION_PASSWORD']);
    expect(parsed.services['pg-replica1']!.environment).toEqual({ SHOP_REPLICATION_PASSWORD_FILE: '/run/secrets/SHOP_REPLICATION_PASSWORD' });
    // The replication password: failover.sh promotes with it (automatic failover, the default).
    expect(parsed.services['pgpool']!.secrets).toEqual(['SHOP_APP_PASSWORD', 'SHOP_PGPOOL_PASSWORD', 'SHOP_PCP_PASSWORD', 'SHOP_REPLICATION_PASSWORD']);
    expect(parsed.services['haproxy']!.secrets).toEqual(['SHOP_HAPROXY_STATS_PASSWORD']);
    // No value, no ${VAR} reference to .env anywhere.
    expect(text).not.toMatch(/\$\{[A-Z_]+:\?/);
  });

  it('reads the passwords it needs in a command from the mounted files', () => {
    expect(parsed.services['pgpool']!.healthcheck!.test[3]).toContain('PGPASSWORD="$$(< /run/secrets/SHOP_APP_PASSWORD)"');
    expect(parsed.services['haproxy']!.entrypoint).toEqual([
      'bash',
      '-c',
      'SHOP_HAPROXY_STATS_PASSWORD="$$(< /run/secrets/SHOP_HAPROXY_STATS_PASSWORD)" && export SHOP_HAPROXY_STATS_PASSWORD && exec haproxy -W -db -f /usr/local/etc/haproxy/haproxy.cfg',
    ]);
  });

  it('says in .env.example and .gitignore where the passwords go', () => {
    const example = renderEnvExample(s);
    expect(example.split('\n').filter((l) => !l.startsWith('#') && l !== '')).toEqual(['COMPOSE_PROJECT_NAME=shop']);
    for (const { env } of s.secrets) expect(example).toContain(`#   secrets/${env}: `);
    expect(renderGitignore(s)).toMatch(/\n\.env\nsecrets\/\n$/);
  });

  it('is accepted by docker-compose 1.29 (config -q) and the compose-spec schema', () => {
    const files = { ...layoutFiles(s), ...Object.fromEntries(s.secrets.map(({ env }) => [`secrets/${env}`, 'x\n'])) };
    const result = checkComposeYaml(text, files);
    expect(result.message).not.toMatch(/error|unsupported|invalid/i);
    expect(result.ok).toBe(true);
  });
});
