import { pgpoolSessions } from '../../model/ceilings.js';
import { defineRule, type Finding } from '../rule.js';

export const haproxiesShareSessions = defineRule({
  code: 'PGS148',
  severity: 'warning',
  title: 'HAProxies over one Pgpool send it no more sessions together than it serves',
  why: "Each HAProxy queues its own clients past its serverMaxConn, but it does not know about the others. Several HAProxies over one Pgpool that together send more than num_init_children − reserved_connections put the excess in Pgpool's listen queue, which has no timeout and shows in no stats (or, with reservedConnections, refuse it).",
  fix: "split Pgpool's sessions between them with serverMaxConn on each, or raise numInitChildren",
  example: "new Haproxy(cluster, 'haproxy-a', { upstream: pgpool, readWrite: { hostPort: 5100 } });\nnew Haproxy(cluster, 'haproxy-b', { upstream: pgpool, readWrite: { hostPort: 5200 } });",
  check(spec) {
    const findings: Finding[] = [];
    for (const pool of spec.pgpools) {
      const over = spec.haproxies.filter((h) => h.upstream.kind === 'pgpool' && h.upstream.id === pool.id);
      if (over.length < 2) continue;
      const sent = over.map((h) => h.readWrite.serverMaxConn ?? pgpoolSessions(pool));
      const total = sent.reduce((a, b) => a + b, 0);
      const served = pgpoolSessions(pool);
      if (served <= 0 || total <= served) continue;
      const last = over.at(-1)!;
      findings.push({
        node: last,
        field: 'serverMaxConn',
        message: `${over.map((h, i) => `${h.path} sends up to ${sent[i]}`).join(', ')}: ${total} sessions together, but ${pool.path} serves ${served}`,
        fix: `give each HAProxy a serverMaxConn so they add up to at most ${served}, e.g. ${Math.max(1, Math.floor(served / over.length))} each`,
      });
    }
    return findings;
  },
});
