import { defineRule } from '../rule.js';
import { hostPortUses } from '../../model/host-ports.js';

export const bindAddressLoopback = defineRule({
  code: 'PGS170',
  severity: 'warning',
  title: 'Published ports bind to 127.0.0.1 unless exposure is intended',
  why: "Compose publishes ports on every interface unless told otherwise; pgsynth binds them to bindAddress. Anything other than 127.0.0.1 exposes PostgreSQL, Pgpool and HAProxy (including its stats page) to the network, where the passwords are the only protection.",
  fix: "remove bindAddress (the default is '127.0.0.1'), or keep it and firewall the ports",
  example: "new Cluster({ name: 'shop', bindAddress: '0.0.0.0' })",
  targets: ['compose'],
  check(spec) {
    if (spec.bindAddress === '127.0.0.1') return [];
    const ports = hostPortUses(spec).map((u) => u.port);
    const where = spec.bindAddress === '0.0.0.0' ? 'every interface (0.0.0.0)' : spec.bindAddress;
    return [
      {
        node: spec,
        field: 'bindAddress',
        message: `publishes ${ports.length} port(s) (${ports.join(', ')}) on ${where}: reachable from other hosts`,
      },
    ];
  },
});
