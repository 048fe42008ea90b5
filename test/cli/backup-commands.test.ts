import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

  it('synth writes a Backup on the compose target: the image definition, the backup service and every node\'s pgbackrest.conf', async () => {
    const dir = projectWith(WITH_BACKUP);
    const result = await synthCli(dir, 'synth');
    expect(result.code).toBe(0);
    for (const file of ['backup/Dockerfile', 'backup/backup.sh', 'backup/pgbackrest/pgbackrest.conf', 'pg-primary/pgbackrest/pgbackrest.conf', 'pg-replica2/pgbackrest/pgbackrest.conf']) {
      expect(existsSync(join(dir, 'cluster', file)), file).toBe(true);
    }
    expect(readFileSync(join(dir, 'cluster', 'docker-compose.yml'), 'utf8')).toMatch(/\n {2}backup:\n/);
  });
});
