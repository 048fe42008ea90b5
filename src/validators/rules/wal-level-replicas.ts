import { defineRule } from '../rule.js';
import { primaries, replicasOf } from '../helpers/spec-helpers.js';

export const walLevelAllowsReplicas = defineRule({
  code: 'PGS014',
  severity: 'error',
  title: "wal_level is 'replica' or 'logical' when the primary has replicas or replication slots",
  why: 'With wal_level = minimal the WAL lacks what a standby needs. The primary refuses to start with senders configured ("WAL streaming (max_wal_senders > 0) requires wal_level "replica" or "logical""), slot creation fails ("replication slots can only be used if wal_level >= replica") and a standby stops with "hot standby is not possible because wal_level was not set to "replica" or higher on the primary server".',
  fix: "set walLevel: 'replica' (the default) on the primary",
  example: "new Primary(cluster, 'pg-primary', { hostPort: 5611, walLevel: 'minimal' }) // with a replica",
  check(spec) {
    return primaries(spec).flatMap((p) => {
      if (p.primary?.walLevel !== 'minimal') return [];
      const replicas = replicasOf(spec, p.id).length;
      const extraSlots = p.primary.extraSlots.length;
      if (replicas === 0 && extraSlots === 0) return [];
      return [
        {
          node: p,
          field: 'walLevel',
          message: `walLevel is 'minimal' but the primary has ${replicas} replica(s) and ${extraSlots} extra slot(s); they need 'replica' or 'logical'`,
        },
      ];
    });
  },
});
