import { defineRule } from '../rule.js';
import { cidrContains, parseCidr } from '../helpers/cidr.js';
import { primaries } from '../helpers/spec-helpers.js';

export const allowedClientsAdmitProxies = defineRule({
  code: 'PGS075',
  severity: 'error',
  title: "allowedClients admits the cluster network, where Pgpool and HAProxy connect from on the clients' behalf",
  why: 'PostgreSQL sees the address of Pgpool (or of HAProxy talking to the nodes directly), not the client\'s, and on compose those connect from the cluster network. When allowedClients does not cover it, every pooled connection fails with "no pg_hba.conf entry for host …, user …, database …". (Under synth up every client is on 127.0.0.1 and allowedClients does not apply.)',
  fix: "add the cluster network's subnet to allowedClients, or remove allowedClients",
  example: "new Primary(cluster, 'pg-primary', { hostPort: 5611, allowedClients: ['10.99.0.0/16'] }) // with a PgPool",
  targets: ['compose'],
  check(spec) {
    const proxies = [...spec.pgpools.map((p) => p.path), ...spec.haproxies.filter((h) => h.upstream.kind === 'direct').map((h) => h.path)];
    const subnet = spec.network.subnet;
    const subnetCidr = subnet ? parseCidr(subnet) : null;
    if (proxies.length === 0 || !subnet || !subnetCidr) return [];
    return primaries(spec).flatMap((p) => {
      const owner = p.primary?.owner.name;
      const database = p.primary?.database;
      const admitted = p.hba.filter((e) => e.type !== 'local' && e.method !== 'reject' && e.user === owner && e.database === database);
      const covered = admitted.some((e) => {
        const cidr = parseCidr(e.address ?? '');
        return cidr !== null && cidrContains(cidr, subnetCidr);
      });
      if (covered) return [];
      return [
        {
          node: p,
          field: 'allowedClients',
          message: `allowedClients (${admitted.map((e) => e.address).join(', ') || 'none'}) does not admit the cluster network ${subnet}, where ${proxies.join(' and ')} connect from`,
          fix: `add '${subnet}' to allowedClients`,
        },
      ];
    });
  },
});
