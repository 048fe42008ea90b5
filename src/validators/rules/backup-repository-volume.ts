import { namedVolumes } from '../../render/compose/volumes.js';
import { defineRule } from '../rule.js';

export const backupRepositoryVolumeOwn = defineRule({
  code: 'PGS197',
  severity: 'error',
  title: "On compose, a Backup's repository volume is not a volume pgsynth uses for something else",
  why: "docker-compose.yml declares each named volume once, so a repository volume named like a node's data volume ('pg-primary-data' for pg-primary), its socket folder ('pg-primary-run') or the 'cluster-state' volume would be that volume: the repository would be written into a data directory or a socket folder, and deleted or overwritten with it.",
  fix: "leave repository.volume at its default (the cluster name plus '-pgbackrest'), or pick a name no other volume has",
  example: "new Backup(cluster, 'backup', { repository: { type: 'posix', volume: 'pg-primary-data' } });",
  targets: ['compose'],
  check(spec) {
    const b = spec.backup;
    if (!b || b.repository.type !== 'posix') return [];
    const name = b.repository.volume;
    return namedVolumes(spec)
      .filter((v) => v.name === name && v.kind !== 'repository')
      .map((v) => ({ node: b, field: 'repository.volume', message: `the repository volume '${name}' is also ${v.holds}` }));
  },
});
