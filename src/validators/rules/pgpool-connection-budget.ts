import type { ClusterSpec, PgpoolSpec, PostgresNodeSpec } from '../../model/spec.js';
import { postgresSessions } from '../../model/ceilings.js';
import { PGPOOL_CHECK_CONNECTIONS } from '../../model/defaults.js';
import { defineRule, type Finding } from '../rule.js';
import { backendNode } from '../helpers/cluster-members.js';


/** Backend connections one Pgpool may open to one node: Pgpool's documented bound plus its checks. */
function demandOf(pool: PgpoolSpec): { perChild: number; total: number } {
  return { perChild: pool.maxPool, total: pool.numInitChildren * pool.maxPool + PGPOOL_CHECK_CONNECTIONS };
}

function budgetOf(spec: ClusterSpec, n: PostgresNodeSpec): { budget: number; formula: string } {
  const { sessions, formula } = postgresSessions(spec, n);
  return { budget: sessions, formula };
}

export const pgpoolConnectionBudget = defineRule({
  code: 'PGS101',
  severity: 'error',
  title: "Pgpool's pooled connections fit every backend's max_connections − superuser_reserved_connections",
  why: 'Pgpool documents max_pool × num_init_children ≤ max_connections − superuser_reserved_connections: every child may hold max_pool cached connections to every backend. Beyond it, backends refuse Pgpool with "sorry, too many clients already" and clients hang or fail. pgsynth adds the health and streaming checks\' connections, and several Pgpools on one node add up. Unless maxConnections is set, pgsynth sizes it from this demand.',
  fix: 'lower numInitChildren or maxPool on the PgPool, or raise maxConnections on the nodes',
  example: "new Primary(cluster, 'pg-primary', { hostPort: 5611, maxConnections: 50 });\nnew PgPool(cluster, 'pgpool', { backends: [primary], hostPort: 9999, numInitChildren: 32 });",
  check(spec) {
    const findings: Finding[] = [];
    for (const pool of spec.pgpools) {
      let worst: { node: PostgresNodeSpec; index: number; over: number; others: number; budget: number; formula: string } | null = null;
      for (const b of pool.backends) {
        const node = backendNode(spec, b);
        if (!node) continue;
        const { budget, formula } = budgetOf(spec, node);
        // A budget of zero or less is PGS022's mistake, not Pgpool's.
        if (budget <= 0) continue;
        const others = spec.pgpools.filter((p) => p !== pool && p.backends.some((ob) => backendNode(spec, ob) === node)).reduce((sum, p) => sum + demandOf(p).total, 0);
        const over = demandOf(pool).total + others - budget;
        if (over > 0 && (!worst || over > worst.over)) worst = { node, index: b.index, over, others, budget, formula };
      }
      if (!worst) continue;
      const { perChild, total } = demandOf(pool);
      const othersText = worst.others ? ` plus ${worst.others} from the other Pgpool(s) on it` : '';
      const children = Math.floor((worst.budget - worst.others - PGPOOL_CHECK_CONNECTIONS) / perChild);
      const neededMax = worst.node.limits.maxConnections + worst.over;
      const lower = children >= 1 ? `set numInitChildren to at most ${children}, or ` : '';
      findings.push({
        node: pool,
        field: 'numInitChildren',
        message: `numInitChildren × maxPool + ${PGPOOL_CHECK_CONNECTIONS} check connections = ${pool.numInitChildren} × ${perChild} + ${PGPOOL_CHECK_CONNECTIONS} = ${total}${othersText} exceeds backend ${worst.index} (${worst.node.path}) ${worst.formula}`,
        fix: `${lower}raise maxConnections to at least ${neededMax} on ${worst.node.path}${worst.node.replica ? '' : ' (replicas inherit it)'}`,
      });
    }
    return findings;
  },
});
