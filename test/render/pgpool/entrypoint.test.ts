import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readmeExample } from '../../../fixtures/readme-example/cluster.config.js';
import { MARKER_TEXT } from '../../../src/render/marker.js';
import { pgpoolRuntimeDir, renderPgpoolConf, renderPgpoolEntrypoint, renderPoolHbaConf } from '../../../src/render/pgpool/index.js';
import { hostPgpool } from '../../support/binaries.js';

const root = mkdtempSync(join(tmpdir(), 'pgsynth-pgpool-entrypoint-'));
// Run as root, the script hands itself to the postgres user (as in a container): it must reach it.
chmodSync(root, 0o755);
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Passwords with everything a shell or pool_passwd could trip over, except line breaks.
const PASSWORDS = {
  SHOP_APP_PASSWORD: `app pa$$ 'q' "dq" \\ :colon $(id) \`x\``,
  SHOP_PGPOOL_PASSWORD: 'pgpool-secret',
  SHOP_PCP_PASSWORD: 'pcp: secret $HOME',
  SHOP_REPLICATION_PASSWORD: 'repl:pa\\ss $x',
};

/** A stand-in for pgpool that records how it was started and what it found beside its config. */
function fakePgpoolBin(dir: string, record: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(
    join(bin, 'pgpool'),
    `#!/usr/bin/env bash\nprintf '%s\\n' "$@" >${record}/args\nstat -c '%a' "$(dirname "$4")" "$(dirname "$4")/pool_passwd" "$6" >${record}/modes\n`,
  );
  chmodSync(join(bin, 'pgpool'), 0o755);
  return bin;
}

function setUp(name: string) {
  const localDir = join(root, name);
  const spec = readmeExample().resolve({ target: 'local', localDir });
  const pool = spec.pgpools[0]!;
  mkdirSync(pool.paths.configDir, { recursive: true });
  writeFileSync(join(pool.paths.configDir, 'pgpool.conf'), renderPgpoolConf(spec, pool));
  writeFileSync(join(pool.paths.configDir, 'pool_hba.conf'), renderPoolHbaConf(spec, pool));
  const script = join(pool.paths.configDir, 'entrypoint.sh');
  writeFileSync(script, renderPgpoolEntrypoint(spec, pool));
  const record = join(localDir, 'record');
  mkdirSync(record, { mode: 0o777 });
  chmodSync(record, 0o777);
  const bin = fakePgpoolBin(localDir, record);
  const run = (env: Record<string, string>) =>
    spawnSync('bash', [script], { encoding: 'utf8', env: { PATH: `${bin}:${process.env.PATH}`, HOME: localDir, ...env } });
  return { spec, pool, record, run };
}

describe('the Pgpool-II entrypoint', () => {
  it('is a bash script with the marker that bash parses', () => {
    const spec = readmeExample().resolve({ target: 'compose' });
    const script = renderPgpoolEntrypoint(spec, spec.pgpools[0]!);
    expect(script.split('\n').slice(0, 2)).toEqual(['#!/usr/bin/env bash', `# ${MARKER_TEXT}`]);
    expect(script).toContain('set -euo pipefail');
    expect(spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' }).status).toBe(0);
  });

  it('on compose, works in /var/run/pgpool/pgsynth-pgpool and reads the mounted /etc/pgpool2', () => {
    const spec = readmeExample().resolve({ target: 'compose' });
    const script = renderPgpoolEntrypoint(spec, spec.pgpools[0]!);
    expect(script).toContain('config_dir=/etc/pgpool2\nruntime_dir=/var/run/pgpool/pgsynth-pgpool\n');
    expect(script).toContain('exec pgpool -n -D -f "$runtime_dir/pgpool.conf" -F "$runtime_dir/pcp.conf" -a "$config_dir/pool_hba.conf"');
  });

  it('writes pool_passwd (TEXT entries) and pcp.conf (md5) privately, then execs pgpool on the copy', () => {
    const { pool, record, run } = setUp('ok');
    const result = run(PASSWORDS);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const runtime = pgpoolRuntimeDir(pool);
    expect(readFileSync(join(runtime, 'pool_passwd'), 'utf8')).toBe(
      `app:TEXT${PASSWORDS.SHOP_APP_PASSWORD}\npgpool:TEXT${PASSWORDS.SHOP_PGPOOL_PASSWORD}\n`,
    );
    const md5 = createHash('md5').update(PASSWORDS.SHOP_PCP_PASSWORD).digest('hex');
    expect(readFileSync(join(runtime, 'pcp.conf'), 'utf8')).toBe(`pcpadmin:${md5}\n`);
    // The same hash Pgpool's own tool prints.
    expect(spawnSync(join(hostPgpool().binDir, 'pg_md5'), [PASSWORDS.SHOP_PCP_PASSWORD], { encoding: 'utf8' }).stdout.trim()).toBe(md5);
    expect(readFileSync(join(runtime, 'pgpool.conf'), 'utf8')).toBe(readFileSync(join(pool.paths.configDir, 'pgpool.conf'), 'utf8'));
    // failover.sh's libpq password file: any host, port and database; ':' and '\\' escaped.
    const failoverPass = join(runtime, 'failover.pgpass');
    expect(readFileSync(failoverPass, 'utf8')).toBe('*:*:*:replicator:repl\\:pa\\\\ss $x\n');
    expect(statSync(failoverPass).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(record, 'args'), 'utf8').trim().split('\n')).toEqual([
      '-n',
      '-D',
      '-f',
      `${runtime}/pgpool.conf`,
      '-F',
      `${runtime}/pcp.conf`,
      '-a',
      `${pool.paths.configDir}/pool_hba.conf`,
    ]);
    expect(readFileSync(join(record, 'modes'), 'utf8').trim().split('\n')).toEqual(['700', '600', '600']);
    expect(statSync(pool.paths.logDir).isDirectory()).toBe(true);
  });

  it('names every missing password variable and starts nothing', () => {
    const { record, run } = setUp('missing');
    const result = run({ SHOP_PGPOOL_PASSWORD: 'x' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('pgsynth: SHOP_APP_PASSWORD SHOP_PCP_PASSWORD SHOP_REPLICATION_PASSWORD not set');
    expect(() => readFileSync(join(record, 'args'))).toThrow();
  });

  it('refuses a password with a line break, which would add a pool_passwd line', () => {
    const { run } = setUp('newline');
    const result = run({ ...PASSWORDS, SHOP_PGPOOL_PASSWORD: 'a\nhacker:TEXTx' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('SHOP_PGPOOL_PASSWORD contains a line break');
  });
});
