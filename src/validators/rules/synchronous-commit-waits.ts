import { defineRule } from '../rule.js';
import { syncConfigs } from '../helpers/sync-config.js';

export const synchronousCommitWaits = defineRule({
  code: 'PGS054',
  severity: 'warning',
  title: "synchronous_commit waits for the standbys synchronous_standby_names names",
  why: "With synchronous_commit = off or local a commit returns once it is local (or not even flushed): the standbys named in synchronous_standby_names are never waited for, so a failover can lose commits the application saw succeed.",
  fix: "set synchronousCommit: 'on' (or 'remote_write' / 'remote_apply'), or drop the synchronous standbys",
  example: "new Primary(cluster, 'pg-primary', { hostPort: 5611, synchronousCommit: 'local', synchronousStandbyNames: 'ANY 1 (\"pg-replica1\", \"pg-replica2\")' })",
  check(spec) {
    return syncConfigs(spec).flatMap((config) => {
      const mode = config.primary.primary?.synchronousCommit;
      if (mode !== 'off' && mode !== 'local') return [];
      return [
        {
          node: config.primary,
          field: 'synchronousCommit',
          message: `synchronousCommit is '${mode}' while synchronous_standby_names is '${config.text}': commits do not wait for any standby`,
        },
      ];
    });
  },
});
