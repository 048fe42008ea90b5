import { defineRule } from '../rule.js';
import { memberNode } from '../helpers/cluster-members.js';

export const replicaPrimaryInCluster = defineRule({
  code: 'PGS011',
  severity: 'error',
  title: "Every replica's primary belongs to the same cluster",
  why: "A replica streams from its primary by the primary's service name on the cluster's network, and the primary's bootstrap creates that replica's slot and pg_hba.conf line. A Primary of another Cluster is neither on this network nor aware of the replica: the base backup fails with \"could not translate host name\" or the slot is never created.",
  fix: 'pass the Primary created with this cluster as `primary`',
  example: "const other = new Cluster({ name: 'other' });\nnew Replica(cluster, 'pg-replica1', { primary: new Primary(other, 'pg-primary', { hostPort: 5611 }), hostPort: 5612 });",
  check(spec) {
    return spec.postgres.flatMap((r) => {
      if (!r.replica) return [];
      const upstream = memberNode(spec, r.replica.upstreamId, r.replica.upstream);
      if (upstream?.role === 'primary') return [];
      return [
        {
          node: r,
          field: 'primary',
          message: `streams from primary '${r.replica.upstreamId}', which is not a Primary of cluster '${spec.id}'`,
        },
      ];
    });
  },
});
