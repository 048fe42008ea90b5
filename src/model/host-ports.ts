import type { ClusterSpec, NodeRef } from './spec.js';

// Every port a cluster occupies on the host, per target: on compose the published host ports,
// under `synth up` the ports each process listens on (which adds Pgpool's PCP port).

export interface HostPortUse {
  node: NodeRef;
  service: 'postgres' | 'pgpool' | 'haproxy';
  /** Field of the construct's props that sets this port. */
  field: string;
  port: number;
  /** True for a port that occupies the host only under `synth up` (an unpublished PCP port). */
  localOnly: boolean;
}

export function hostPortUses(spec: ClusterSpec): HostPortUse[] {
  const local = spec.target === 'local';
  const uses: HostPortUse[] = [];
  for (const n of spec.postgres) uses.push({ node: n, service: 'postgres', field: 'hostPort', port: n.port.hostPort, localOnly: false });
  for (const p of spec.pgpools) {
    uses.push({ node: p, service: 'pgpool', field: 'hostPort', port: p.port.hostPort, localOnly: false });
    if (p.pcp.hostPort !== null) uses.push({ node: p, service: 'pgpool', field: 'pcpHostPort', port: p.pcp.hostPort, localOnly: false });
    else if (local) uses.push({ node: p, service: 'pgpool', field: 'pcpPort', port: p.pcp.port, localOnly: true });
  }
  for (const h of spec.haproxies) {
    uses.push({ node: h, service: 'haproxy', field: 'readWrite.hostPort', port: h.readWrite.port.hostPort, localOnly: false });
    if (h.readOnly) uses.push({ node: h, service: 'haproxy', field: 'readOnly.hostPort', port: h.readOnly.port.hostPort, localOnly: false });
    if (h.stats) uses.push({ node: h, service: 'haproxy', field: 'stats.hostPort', port: h.stats.port.hostPort, localOnly: false });
  }
  return uses;
}

/** The lowest port above `from` that no use occupies, for fixes that name a concrete value. */
export function nextFreePort(uses: readonly HostPortUse[], from: number): number {
  const taken = new Set(uses.map((u) => u.port));
  let port = from + 1;
  while (taken.has(port) && port < 65535) port++;
  return port;
}
