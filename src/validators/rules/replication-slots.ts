import { defineRule } from '../rule.js';
import { primaries, replicasOf } from '../helpers/spec-helpers.js';

export const replicationSlotsFit = defineRule({
  code: 'PGS012',
  severity: 'error',
  title: 'The primary has a replication slot for every replica that uses one, every extra slot, and one for a base backup',
  why: 'pg_basebackup creates a temporary slot while it runs; beyond max_replication_slots slot creation fails with "all replication slots are in use" and the replica never starts.',
  fix: 'raise maxReplicationSlots on the primary',
  example: "new Primary(cluster, 'pg-primary', { hostPort: 5611, maxReplicationSlots: 1 }) // with two replicas",
  check(spec) {
    return primaries(spec).flatMap((p) => {
      const slots = p.primary?.slots.length ?? 0;
      const needed = slots + 1;
      if (needed <= p.limits.maxReplicationSlots) return [];
      const replicas = replicasOf(spec, p.id).filter((r) => r.replica?.slotName).length;
      return [
        {
          node: p,
          field: 'maxReplicationSlots',
          message: `needs ${needed} replication slots (${replicas} for replicas, ${p.primary?.extraSlots.length ?? 0} extra, 1 for a base backup) but maxReplicationSlots is ${p.limits.maxReplicationSlots}`,
          fix: `set maxReplicationSlots to at least ${needed}`,
        },
      ];
    });
  },
});
