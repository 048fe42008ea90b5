import { defineRule } from '../rule.js';
import { hostPortUses } from '../../model/host-ports.js';

const FIRST_UNPRIVILEGED = 1024;

export const unprivilegedHostPorts = defineRule({
  code: 'PGS094',
  severity: 'warning',
  title: 'Host ports are 1024 or above',
  why: 'Binding a port below 1024 needs root or CAP_NET_BIND_SERVICE: PostgreSQL and HAProxy run unprivileged under synth up and fail with "Permission denied", and rootless Docker cannot publish such ports.',
  fix: 'use a host port of 1024 or above',
  example: "new Primary(cluster, 'pg-primary', { hostPort: 543 })",
  // Compose's published ports are the host ports of both targets (local adds only PCP, which PGS111 checks).
  targets: ['compose'],
  check(spec) {
    return hostPortUses(spec)
      .filter((u) => u.port < FIRST_UNPRIVILEGED && u.service !== 'pgpool') // Pgpool refuses them outright: PGS111.
      .map((u) => ({ node: u.node, field: u.field, message: `${u.field} ${u.port} is below ${FIRST_UNPRIVILEGED}: binding it needs root`, fix: `use ${u.port + 5000} or another port ≥ ${FIRST_UNPRIVILEGED}` }));
  },
});
