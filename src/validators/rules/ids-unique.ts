import { defineRule, type Finding } from '../rule.js';
import { constructs } from '../helpers/construct-ids.js';

export const idsUnique = defineRule({
  code: 'PGS091',
  severity: 'error',
  title: 'Construct ids are unique in the cluster',
  why: 'The id is the compose service name, the host name other services connect to and the directory of the node\'s data under synth up. Two constructs with one id collapse into one service: one of them is silently missing, or two servers share a data directory.',
  fix: 'give each construct its own id',
  example: "new Replica(cluster, 'pg-replica1', { primary, hostPort: 5612 });\nnew Replica(cluster, 'pg-replica1', { primary, hostPort: 5613 });",
  check(spec) {
    const all = constructs(spec);
    const findings: Finding[] = [];
    const seen = new Map<string, { kind: string; count: number }>();
    for (const c of all) {
      const earlier = seen.get(c.id);
      if (!earlier) {
        seen.set(c.id, { kind: c.kind, count: 1 });
        continue;
      }
      earlier.count++;
      const total = all.filter((o) => o.id === c.id).length;
      findings.push({
        node: c,
        field: 'id',
        message: `id '${c.id}' is already the id of a ${earlier.kind} (${c.kind} ${earlier.count} of ${total} constructs with this id)`,
        fix: `rename this ${c.kind}, e.g. '${c.id}-${earlier.count}'`,
      });
    }
    return findings;
  },
});
