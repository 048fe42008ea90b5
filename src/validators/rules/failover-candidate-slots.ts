import { defineRule } from '../rule.js';

export const failoverCandidatesHaveSlots = defineRule({
  code: 'PGS211',
  severity: 'error',
  title: 'Every node that can be promoted has room for the slots of the others, and one for a base backup',
  why: "After a failover the promoted node makes a physical slot for each other node (the initial primary included) and every extra slot; past its max_replication_slots that fails with \"all replication slots are in use\", and those standbys cannot stream from it.",
  fix: 'raise maxReplicationSlots on that replica',
  example: "new Replica(cluster, 'pg-replica1', { primary, hostPort: 5612, maxReplicationSlots: 1 }) // with two replicas",
  check(spec) {
    return spec.postgres.flatMap((n) => {
      if (!n.replica || !n.member) return [];
      const needed = n.member.slotsWhenPrimary.length + 1;
      if (needed <= n.limits.maxReplicationSlots) return [];
      return [
        {
          node: n,
          field: 'maxReplicationSlots',
          message: `once promoted it needs ${needed} replication slots (${n.member.slotsWhenPrimary.join(', ')}, and 1 for a base backup) but maxReplicationSlots is ${n.limits.maxReplicationSlots}`,
          fix: `set maxReplicationSlots to at least ${needed}`,
        },
      ];
    });
  },
});
