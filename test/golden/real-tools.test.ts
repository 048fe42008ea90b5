import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { renderPostgresqlConf } from '../../src/render/postgres/index.js';
import { checkPostgresqlConf, type TestedMajor } from '../support/postgres-check.js';
import { requireProgram } from '../support/binaries.js';
import { checkComposeYaml, checkHaproxyCfg, checkPgpoolConf } from '../support/real-tools.js';
import { fixtureNames, loadFixture, readGolden } from './fixtures.js';

// Every golden file goes through the real program that reads it; a failure names the file and
// quotes the tool.
describe.each(fixtureNames())('golden files of %s pass the real tools', (name) => {
  const golden = readGolden(name);
  const paths = Object.keys(golden);
  const major = async () => (await loadFixture(name)).props.postgresVersion as TestedMajor;

  it.each(paths.filter((p) => p.endsWith('postgresql.conf')))('%s: postgres -C', async (path) => {
    const result = checkPostgresqlConf(golden[path]!, await major());
    expect(result.ok, `${name}/cluster/${path}: ${result.message}`).toBe(true);
  });

  it.each(paths.filter((p) => p.endsWith('pgpool.conf')))('%s: pgpool parses it', async (path) => {
    const cluster = await loadFixture(name);
    const poolHba = golden[path.replace(/pgpool\.conf$/, 'pool_hba.conf')];
    const result = checkPgpoolConf(golden[path]!, { ...(poolHba ? { poolHba } : {}), version: cluster.props.pgpoolVersion });
    expect(result.ok, `${name}/cluster/${path}: ${result.message}`).toBe(true);
  });

  it.each(paths.filter((p) => p.endsWith('haproxy.cfg')))('%s: haproxy -c', (path) => {
    const result = checkHaproxyCfg(golden[path]!);
    expect(result.ok, `${name}/cluster/${path}: ${result.message}`).toBe(true);
  });

  it('docker-compose.yml: docker-compose config and the compose schema', () => {
    const result = checkComposeYaml(golden['docker-compose.yml']!, golden);
    expect(result.ok, `${name}/cluster/docker-compose.yml: ${result.message}`).toBe(true);
  });

  it.each(paths.filter((p) => p.endsWith('.sh')))('%s: bash -n and shellcheck', (path) => {
    expect(() => execFileSync('bash', ['-n'], { input: golden[path]!, stdio: ['pipe', 'pipe', 'pipe'] })).not.toThrow();
    // SC1003/SC2016: a quote or $ inside single quotes is the quoting working, not a mistake.
    const lint = spawnSync(requireProgram('shellcheck'), ['--shell=bash', '--exclude=SC1003,SC2016', '-'], { input: golden[path]!, encoding: 'utf8' });
    expect(lint.error).toBeUndefined();
    expect(lint.stdout, `${name}/cluster/${path}`).toBe('');
  });
});

// Issue 6: each fixture's postgresql.conf, rendered for 15, 16 and 17, passes that major's server.
describe.each([15, 16, 17] as const)('postgresql.conf rendered for PostgreSQL %i', (major) => {
  it.each(fixtureNames())('%s', async (name) => {
    const spec = (await loadFixture(name)).resolve({ target: 'compose' });
    const forMajor = { ...spec, postgresVersion: major };
    for (const node of forMajor.postgres) {
      const result = checkPostgresqlConf(renderPostgresqlConf(forMajor, node), major);
      expect(result.ok, `${name} ${node.id} on ${major}: ${result.message}`).toBe(true);
    }
  });
});
