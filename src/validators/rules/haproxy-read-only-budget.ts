import { postgresSessions } from '../../model/ceilings.js';
import { PGPOOL_CHECK_CONNECTIONS } from '../../model/defaults.js';
import { defineRule, type Finding } from '../rule.js';
import { backendNode, memberNode } from '../helpers/cluster-members.js';

export const haproxyReadOnlyFitsStandbys = defineRule({
  code: 'PGS149',
  severity: 'warning',
  title: "HAProxy's read-only sessions fit each standby next to Pgpool's connections",
  why: "The read-only frontend sends up to serverMaxConn sessions to each standby itself, on top of the num_init_children × max_pool connections every Pgpool may hold there. When the two together exceed the standby's maxConnections − superuserReservedConnections, clients past it are refused with \"sorry, too many clients already\" instead of waiting in HAProxy's queue. Unless maxConnections is set, pgsynth sizes it for both.",
  fix: 'lower serverMaxConn, or raise maxConnections on the primary (replicas inherit it), or remove maxConnections so pgsynth sizes it',
  example: "new Primary(cluster, 'pg-primary', { hostPort: 5611, maxConnections: 140 }); // Pgpool 32 × 4 + HAProxy read-only 32",
  check(spec) {
    const findings: Finding[] = [];
    for (const h of spec.haproxies) {
      const perStandby = h.readOnly?.serverMaxConn;
      if (!h.readOnly || perStandby === null || perStandby === undefined) continue;
      for (const s of h.readOnly.servers) {
        const node = memberNode(spec, s.name, s);
        if (!node) continue;
        const pooled = spec.pgpools
          .filter((p) => p.backends.some((b) => backendNode(spec, b) === node))
          .reduce((sum, p) => sum + p.numInitChildren * p.maxPool + PGPOOL_CHECK_CONNECTIONS, 0);
        const { sessions, formula } = postgresSessions(spec, node);
        // A budget Pgpool alone exceeds is PGS101's finding.
        if (sessions <= pooled || pooled + perStandby <= sessions) continue;
        findings.push({
          node: h,
          field: 'serverMaxConn',
          message: `read-only serverMaxConn ${perStandby} + Pgpool's ${pooled} connections exceed ${node.path} ${formula}`,
          fix: `set serverMaxConn to at most ${sessions - pooled}, or raise maxConnections to at least ${node.limits.maxConnections + pooled + perStandby - sessions}`,
        });
        break;
      }
    }
    return findings;
  },
});
