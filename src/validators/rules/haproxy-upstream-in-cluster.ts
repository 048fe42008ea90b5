import { defineRule, type Finding } from '../rule.js';
import { memberNode, memberPgpool } from '../helpers/cluster-members.js';

export const haproxyUpstreamInCluster = defineRule({
  code: 'PGS140',
  severity: 'error',
  title: "HAProxy's upstream (a PgPool, or the nodes) belongs to its cluster",
  why: "HAProxy's server lines name the upstream by service name on the cluster's network. A PgPool or node of another Cluster is not there: the name does not resolve, every server is DOWN and both frontends refuse connections.",
  fix: 'use the PgPool or nodes created with this cluster as upstream',
  example: "new Haproxy(cluster, 'haproxy', { upstream: otherClusterPgpool, readWrite: { hostPort: 5100 } })",
  check(spec) {
    return spec.haproxies.flatMap((h) => {
      const findings: Finding[] = [];
      if (h.upstream.kind === 'pgpool') {
        const server = h.readWrite.servers[0];
        if (!server || !memberPgpool(spec, h.upstream.id, server)) findings.push({ node: h, field: 'upstream', message: `upstream PgPool '${h.upstream.id}' is not a PgPool of cluster '${spec.id}'` });
      } else {
        for (const server of h.readWrite.servers) {
          if (!memberNode(spec, server.name, server)) findings.push({ node: h, field: 'upstream', message: `upstream node '${server.name}' is not a node of cluster '${spec.id}'` });
        }
      }
      return findings;
    });
  },
});
