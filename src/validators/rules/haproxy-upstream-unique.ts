import { defineRule, type Finding } from '../rule.js';

export const haproxyUpstreamUnique = defineRule({
  code: 'PGS143',
  severity: 'error',
  title: 'HAProxy lists each upstream node once',
  why: 'Each upstream node becomes a server line named after it. HAProxy expects server names to be unique within a backend (a repeated name is rejected or shadows the first, depending on the version), and a node listed twice takes twice its share of connections.',
  fix: 'remove the repeated node from upstream',
  example: "new Haproxy(cluster, 'haproxy', { upstream: [primary, r1, r1], readWrite: { hostPort: 5100 } })",
  check(spec) {
    return spec.haproxies.flatMap((h) => {
      if (h.upstream.kind !== 'direct') return [];
      const findings: Finding[] = [];
      const seen = new Set<string>();
      h.upstream.ids.forEach((id, i) => {
        if (seen.has(id)) findings.push({ node: h, field: `upstream[${i}]`, message: `upstream[${i}] repeats node '${id}'` });
        seen.add(id);
      });
      return findings;
    });
  },
});
