import { defineRule } from '../rule.js';
import { primaries } from '../helpers/spec-helpers.js';
import { parseCidr } from '../helpers/cidr.js';

export const allowedClientsNotWorldOpen = defineRule({
  code: 'PGS074',
  severity: 'warning',
  title: 'allowedClients does not admit every address (0.0.0.0/0)',
  why: "A /0 line in pg_hba.conf admits the application role from any address, so the password is the only protection and every host that can route to a published port can try it (compose examples often ship \"host replication all 0.0.0.0/0\", which lets any host stream a full copy of the data). The default admits the cluster network only.",
  fix: 'list the client networks, e.g. allowedClients: [\'10.8.0.0/24\'], or remove allowedClients to admit the cluster network only',
  example: "new Primary(cluster, 'pg-primary', { hostPort: 5611, allowedClients: ['0.0.0.0/0'] })",
  check(spec) {
    return primaries(spec).flatMap((p) => {
      const owner = p.primary?.owner.name;
      const open = p.hba.filter((e) => e.type !== 'local' && e.method !== 'reject' && e.user === owner && parseCidr(e.address ?? '')?.prefix === 0);
      return open.map((e) => ({ node: p, field: 'allowedClients', message: `admits the application role '${owner}' from ${e.address}, any address` }));
    });
  },
});
