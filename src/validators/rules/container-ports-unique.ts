import { defineRule, type Finding } from '../rule.js';

export const containerPortsUnique = defineRule({
  code: 'PGS093',
  severity: 'error',
  title: "Ports inside one container differ: Pgpool's port and PCP port, HAProxy's frontends and stats",
  why: 'Two listeners of one process cannot share a port. Pgpool only logs "failed to create INET domain socket" as a WARNING and runs on without that listener; HAProxy enables SO_REUSEPORT, so its second bind on the port may even succeed and split connections between a frontend and the stats page.',
  fix: 'give each listener of the container its own port',
  example: "new PgPool(cluster, 'pgpool', { backends: [primary], hostPort: 9999, port: 9898 }) // pcpPort defaults to 9898",
  targets: ['compose'],
  check(spec) {
    const findings: Finding[] = [];
    const checkOne = (node: (typeof spec.pgpools)[number] | (typeof spec.haproxies)[number], listeners: Array<[string, number]>) => {
      const first = new Map<number, string>();
      for (const [field, port] of listeners) {
        const earlier = first.get(port);
        if (earlier === undefined) first.set(port, field);
        else findings.push({ node, field, message: `${field} ${port} is also ${earlier} inside the ${node.id} container` });
      }
    };
    for (const p of spec.pgpools) checkOne(p, [['port', p.port.containerPort], ['pcpPort', p.pcp.port]]);
    for (const h of spec.haproxies) {
      const listeners: Array<[string, number]> = [['readWrite.port', h.readWrite.port.containerPort]];
      if (h.readOnly) listeners.push(['readOnly.port', h.readOnly.port.containerPort]);
      if (h.stats) listeners.push(['stats.port', h.stats.port.containerPort]);
      checkOne(h, listeners);
    }
    return findings;
  },
});
