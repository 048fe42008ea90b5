import { defineRule, type Finding } from '../rule.js';

const MIN = 1024;
const MAX = 65535;

export const pgpoolPortsInRange = defineRule({
  code: 'PGS111',
  severity: 'error',
  title: 'Every port Pgpool uses is within its range 1024..65535',
  why: 'Pgpool checks port, pcp_port and backend_portN against 1024..65535 and refuses anything else: "80 is outside the valid range for parameter "port" (1024 .. 65535)". On compose these are ports inside containers; under synth up they are the host ports.',
  fix: 'use ports of 1024 or above for Pgpool and for the nodes it connects to',
  example: "new PgPool(cluster, 'pgpool', { backends: [primary], hostPort: 9999, pcpPort: 898 })",
  check(spec) {
    const local = spec.target === 'local';
    return spec.pgpools.flatMap((pool) => {
      const findings: Finding[] = [];
      const out = (port: number) => port < MIN || port > MAX;
      if (out(pool.port.listenPort)) findings.push({ node: pool, field: local ? 'hostPort' : 'port', message: `Pgpool would listen on ${pool.port.listenPort}${local ? ' under synth up' : ' in its container'}, outside ${MIN}..${MAX}` });
      if (out(pool.pcp.port)) {
        const field = local && pool.pcp.hostPort !== null ? 'pcpHostPort' : 'pcpPort';
        findings.push({ node: pool, field, message: `PCP port ${pool.pcp.port} is outside ${MIN}..${MAX}` });
      }
      for (const b of pool.backends) {
        if (out(b.port)) findings.push({ node: pool, field: b.field, message: `backend ${b.index} (${b.nodeId ?? b.host}) port ${b.port} is outside ${MIN}..${MAX}`, fix: `move ${b.nodeId ?? b.host} to a ${local ? 'host ' : ''}port of ${MIN} or above` });
      }
      return findings;
    });
  },
});
