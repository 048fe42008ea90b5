import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readmeExample } from '../../../fixtures/readme-example/cluster.config.js';
import type { ClusterSpec } from '../../../src/model/spec.js';
import {
  renderBootstrapSql,
  renderPgHbaConf,
  renderPostgresqlConf,
  renderPrimaryEntrypoint,
  renderPrimaryInitScript,
  renderReplicaEntrypoint,
} from '../../../src/render/postgres/index.js';

/** Every file this module renders for a cluster, by a name for failure messages. */
function renderAll(spec: ClusterSpec): Array<[string, string]> {
  return spec.postgres.flatMap((node): Array<[string, string]> => [
    [`${node.id}/postgresql.conf`, renderPostgresqlConf(spec, node)],
    [`${node.id}/pg_hba.conf`, renderPgHbaConf(spec, node)],
    ...(node.primary
      ? ([
          [`${node.id}/bootstrap.sql`, renderBootstrapSql(spec, node).sql],
          [`${node.id}/init.sh`, renderPrimaryInitScript(spec, node)],
          [`${node.id}/entrypoint.sh`, renderPrimaryEntrypoint(spec, node)],
        ] as Array<[string, string]>)
      : ([[`${node.id}/entrypoint.sh`, renderReplicaEntrypoint(spec, node)]] as Array<[string, string]>)),
  ]);
}

describe('no rendered file of the README example holds a password', () => {
  const spec = readmeExample().resolve({ target: 'compose' });
  const values = new Map(spec.secrets.map(({ env }, i) => [env, `Sup3r-${env.toLowerCase()}-${i}`]));
  const saved = new Map<string, string | undefined>();

  // The secrets are set in this process, as `synth` sees them when the user exports .env: no renderer may pick them up.
  beforeEach(() => {
    for (const [env, value] of values) {
      saved.set(env, process.env[env]);
      process.env[env] = value;
    }
  });
  afterEach(() => {
    for (const [env, value] of saved) {
      if (value === undefined) delete process.env[env];
      else process.env[env] = value;
    }
  });

  it.each(['compose', 'local'] as const)('on the %s target', (target) => {
    const files = renderAll(readmeExample().resolve({ target, localDir: '/tmp/pgsynth-secrets' }));
    expect(files.length).toBe(3 * 2 + 2 * 1 + 3);
    for (const [name, text] of files) {
      for (const value of values.values()) expect(text, name).not.toContain(value);
      expect(text, name).not.toMatch(/password=/i);
      expect(text, name).not.toMatch(/PGPASSWORD/);
    }
  });

  it('names every password variable the primary needs', () => {
    const init = renderPrimaryInitScript(spec, spec.postgres[0]!);
    for (const { env } of renderBootstrapSql(spec, spec.postgres[0]!).passwordSettings) {
      expect(init).toContain(`\${${env}:-}`); // checked before psql runs
      expect(init).toMatch(new RegExp(`^\\\\set pw_\\w+ \`printenv ${env}\`$`, 'm')); // read by psql from its environment
    }
  });
});
