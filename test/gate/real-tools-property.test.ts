import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPostgresqlConf } from '../support/postgres-check.js';
import { checkComposeSchema, checkComposeYaml, checkHaproxyCfg, checkPgpoolConf } from '../support/real-tools.js';
import { configPlan, type ConfigPlan } from './config-arbitrary.js';
import { gate, replay } from './gate.js';

// Accepted random configs through the real tools: every postgresql.conf through `postgres -C` of
// PostgreSQL 15 (the major installed from Debian), pgpool.conf and pool_hba.conf through Pgpool's
// parser, haproxy.cfg through `haproxy -c`, docker-compose.yml through the compose-spec JSON
// schema, and one in ten through `docker-compose config` and its scripts through bash -n and shellcheck.

const ACCEPTED = Number(process.env.PGSYNTH_FC_REAL ?? 100);
const COMPOSE_SHARE = 10;

/** bash -n and shellcheck, as the golden fixtures are checked (SC1003/SC2016: quoting at work). */
function shellcheck(script: string): { ok: boolean; message: string } {
  const syntax = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
  if (syntax.status !== 0) return { ok: false, message: syntax.stderr };
  const lint = spawnSync('shellcheck', ['--shell=bash', '--exclude=SC1003,SC2016', '-'], { input: script, encoding: 'utf8' });
  if (lint.error) return { ok: false, message: `shellcheck is installed by scripts/setup.sh (Debian package shellcheck): ${lint.error.message}` };
  return lint.stdout === '' ? { ok: true, message: '' } : { ok: false, message: lint.stdout };
}

describe('accepted random configs pass the real tools', () => {
  it(`${ACCEPTED} accepted configs (PostgreSQL 15)`, () => {
    let accepted = 0;
    let tried = 0;
    const checked: Record<string, number> = {};
    const count = (tool: string) => (checked[tool] = (checked[tool] ?? 0) + 1);
    fc.assert(
      fc.property(configPlan([15]), (plan: ConfigPlan) => {
        if (accepted >= ACCEPTED) return;
        tried++;
        const result = gate(plan);
        if (result.outcome !== 'synthesized') return;
        accepted++;
        const files = Object.fromEntries(result.files!.map((f) => [f.path, f.content]));
        for (const [path, content] of Object.entries(files)) {
          let check: { ok: boolean; message: string } | undefined;
          if (path.endsWith('/postgresql.conf')) (check = checkPostgresqlConf(content, 15)), count('postgres -C');
          else if (path.endsWith('/pgpool.conf')) (check = checkPgpoolConf(content, { poolHba: files[path.replace('pgpool.conf', 'pool_hba.conf')]! })), count('pgpool');
          else if (path.endsWith('/haproxy.cfg')) (check = checkHaproxyCfg(content)), count('haproxy -c');
          else if (path.endsWith('.sh') && accepted % COMPOSE_SHARE === 0) (check = shellcheck(content)), count('shellcheck');
          else if (path === 'docker-compose.yml') {
            if (accepted % COMPOSE_SHARE === 0) (check = checkComposeYaml(content, files)), count('docker-compose config');
            else (check = checkComposeSchema(content)), count('compose schema');
          }
          if (check) expect(check.ok, `${path}: ${check.message}\nplan: ${fc.stringify(plan)}`).toBe(true);
        }
      }),
      { numRuns: ACCEPTED * 40, ...replay },
    );
    console.log(`real tools: ${accepted} accepted configs out of ${tried} generated; files checked: ${JSON.stringify(checked)}`);
    expect(accepted).toBeGreaterThanOrEqual(ACCEPTED);
  }, 900_000);
});
