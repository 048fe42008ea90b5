import { defineRule } from '../rule.js';
import { candidates, describeValue, listedCapacity, quotedNames, SSN_FIELD, syncConfigs, unknownNames } from '../helpers/sync-config.js';

export const standbyNamesHaveSpare = defineRule({
  code: 'PGS053',
  severity: 'warning',
  title: 'Synchronous replication has more candidate standbys than it waits for',
  why: 'When the standbys that can confirm a commit are exactly as many as the primary waits for, losing one (a crash, a restart, a rebuild) blocks every commit on the primary until it is back; with one synchronous standby, stopping it for a minor upgrade makes every write hang. PostgreSQL\'s documentation: keep as many synchronous standbys as requested by naming more potential ones.',
  fix: 'wait for ANY n of more than n standbys, e.g. synchronousStandbyNames: \'ANY 1 ("pg-replica1", "pg-replica2")\'',
  example: "new Replica(cluster, 'pg-replica1', { primary, hostPort: 5612, synchronous: true }) // the only synchronous standby",
  check(spec) {
    return syncConfigs(spec).flatMap((config) => {
      // Errors about the names come first (PGS051, PGS052); with no wait there is nothing to block (PGS054).
      if (unknownNames(config).length > 0 || config.value.num > listedCapacity(config)) return [];
      if (config.primary.primary?.synchronousCommit === 'off' || config.primary.primary?.synchronousCommit === 'local') return [];
      const picked = candidates(config);
      const { num } = config.value;
      if (picked.length !== num) return [];
      const names = picked.map((r) => r.replica?.applicationName ?? r.id);
      const blocked = names.length === 1 ? `${names[0]} is down` : `any of ${names.join(', ')} is down`;
      const fix =
        config.replicas.length > num
          ? `set synchronousStandbyNames: 'ANY ${num} (${quotedNames(config.replicas)})' on ${config.primary.path}, so any ${num} of its ${config.replicas.length} replicas can confirm a commit`
          : `add another replica and wait for ANY ${num} of all ${num + 1}, e.g. synchronousStandbyNames: 'ANY ${num} (${quotedNames(config.replicas)}, "pg-replica${config.replicas.length + 1}")'`;
      return [
        {
          node: config.primary,
          field: SSN_FIELD,
          message: `${describeValue(config)} has ${picked.length} candidate${picked.length === 1 ? '' : 's'} for ${num} synchronous standby${num === 1 ? '' : 's'}: every commit blocks while ${blocked}`,
          fix,
        },
      ];
    });
  },
});
