import { defineRule, type Finding } from '../rule.js';
import { hostPortUses, nextFreePort, type HostPortUse } from '../../model/host-ports.js';

export const hostPortsUnique = defineRule({
  code: 'PGS092',
  severity: 'error',
  title: 'No two services use the same host port',
  why: 'Compose fails to start the second container ("Bind for 127.0.0.1:5612 failed: port is already allocated"). Under synth up every process listens on its host port on 127.0.0.1 (Pgpool\'s PCP port too), and the second fails to bind — Pgpool only logs a WARNING and runs on without its TCP listener.',
  fix: 'give each published port (and, under synth up, each PCP port) its own number',
  example: "new Replica(cluster, 'pg-replica1', { primary, hostPort: 5612 });\nnew Replica(cluster, 'pg-replica2', { primary, hostPort: 5612 });",
  check(spec) {
    const uses = hostPortUses(spec);
    const first = new Map<number, HostPortUse>();
    const findings: Finding[] = [];
    for (const use of uses) {
      const earlier = first.get(use.port);
      if (!earlier) {
        first.set(use.port, use);
        continue;
      }
      const local = use.localOnly || earlier.localOnly ? ' under synth up, where Pgpool listens for PCP on the host' : '';
      const fixField = use.localOnly ? 'pcpHostPort' : use.field;
      findings.push({
        node: use.node,
        field: use.field,
        message: `${use.field} ${use.port} is already used by ${earlier.node.path} (${earlier.field})${local}`,
        fix: `set ${fixField} to a free port, e.g. ${nextFreePort(uses, use.port)}`,
      });
    }
    return findings;
  },
});
