import { defineRule } from '../rule.js';

function inside(child: string, parent: string): boolean {
  const p = parent.endsWith('/') ? parent : `${parent}/`;
  return child === parent || child.startsWith(p) || parent.startsWith(child.endsWith('/') ? child : `${child}/`);
}

export const backupRepositoryOutsideData = defineRule({
  code: 'PGS194',
  severity: 'error',
  title: "A Backup's repository is not inside (nor around) a node's data directory",
  why: "A repository inside a data directory is copied into every base backup and every pgBackRest backup (each backup holds all the earlier ones), is deleted with the data directory it should restore, and a restore into that directory (pgBackRest refuses a non-empty target, --delta deletes what the backup does not hold) would erase the repository it reads from.",
  fix: "put the repository outside every data directory: the default '/var/lib/pgbackrest' on its own volume",
  example: "new Backup(cluster, 'backup', { repository: { type: 'posix', path: '/var/lib/postgresql/data/backups' } });",
  check(spec) {
    const b = spec.backup;
    if (!b || b.repository.type !== 'posix') return [];
    const repo = b.repository.path;
    return spec.postgres
      .filter((n) => inside(repo, n.paths.dataDir))
      .map((n) => ({ node: b, field: 'repository.path', message: `the repository ${repo} overlaps ${n.path}'s data directory ${n.paths.dataDir}` }));
  },
});
