import { describe, expect, it } from 'vitest';
import { projectWith, README_CONFIG, synthCli } from './harness.js';

// The backup commands' refusals, without a running cluster (test/backup/pitr.test.ts runs them for real).

const WITH_BACKUP = README_CONFIG.replace(
  "import { Cluster, Primary, Replica, PgPool, Haproxy } from 'pgsynth';",
  "import { Backup, Cluster, Primary, Replica, PgPool, Haproxy } from 'pgsynth';",
).replace('export default cluster;', "new Backup(cluster, 'backup', {});\nexport default cluster;");

describe('synth backup, backups, restore, check-backups', () => {
  it('exits 2 with the fix when the config has no Backup', async () => {
    const result = await synthCli(projectWith(README_CONFIG), 'backups');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Cluster shop has no Backup construct');
    expect(result.stderr).toContain("fix: Add `new Backup(cluster, 'backup', {})`");
  });

  it('exits 2 on a bad --type, and on a restore without --to or --into', async () => {
    const dir = projectWith(WITH_BACKUP);
    expect(await synthCli(dir, 'backup', '--type', 'weekly')).toMatchObject({ code: 2, stderr: "synth: --type must be full, diff or incr, not 'weekly'" });
    expect((await synthCli(dir, 'restore', '--into', 'x')).stderr).toContain('restore needs --to');
    expect((await synthCli(dir, 'restore', '--to', 'latest')).stderr).toContain('restore needs --into DIR');
  });

  it('synth refuses a Backup on the compose target with PGS196', async () => {
    const result = await synthCli(projectWith(WITH_BACKUP), 'synth');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('error PGS196 shop/backup id:');
  });
});
