import { defineRule } from '../rule.js';
import { memberNode } from '../helpers/cluster-members.js';

export const pgpoolBackendsInCluster = defineRule({
  code: 'PGS103',
  severity: 'error',
  title: "A Pgpool's node backends belong to its cluster",
  why: "Pgpool reaches a node by its service name on the cluster's network, and the node's pg_hba.conf admits Pgpool's check role only on its own cluster. A node of another Cluster is not on this network: Pgpool marks it down at once.",
  fix: "use nodes created with this cluster in backends, or an explicit { host, port } for an outside server",
  example: "new PgPool(cluster, 'pgpool', { backends: [primary, otherClusterReplica], hostPort: 9999 })",
  check(spec) {
    return spec.pgpools.flatMap((pool) =>
      pool.backends.flatMap((b) => {
        if (b.nodeId === null || memberNode(spec, b.nodeId, b)) return [];
        return [{ node: pool, field: b.field, message: `backend ${b.index} is node '${b.nodeId}', which is not a node of cluster '${spec.id}'` }];
      }),
    );
  },
});
