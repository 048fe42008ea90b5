import { defineRule } from '../rule.js';
import { primaries } from '../helpers/spec-helpers.js';

export const backupNeedsReplicaWalLevel = defineRule({
  code: 'PGS191',
  severity: 'error',
  title: "With a Backup, wal_level is 'replica' or 'logical'",
  why: "PostgreSQL refuses to start with archiving on and wal_level = minimal (\"WAL archival cannot be enabled when wal_level is minimal\"), and minimal WAL cannot rebuild a backup to a point in time anyway.",
  fix: "set walLevel to 'replica' (the default) on the primary",
  example: "new Primary(cluster, 'pg-primary', { hostPort: 5611, walLevel: 'minimal', maxWalSenders: 0 });\nnew Backup(cluster, 'backup', {});",
  check(spec) {
    if (!spec.backup) return [];
    return primaries(spec)
      .filter((p) => p.primary?.walLevel === 'minimal')
      .map((p) => ({ node: p, field: 'walLevel', message: `walLevel is 'minimal', but ${spec.backup!.path} archives WAL for point-in-time recovery` }));
  },
});
