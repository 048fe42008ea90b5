import { defineRule } from '../rule.js';

export const haproxyTrustCheck = defineRule({
  code: 'PGS073',
  severity: 'warning',
  title: "HAProxy talking to the nodes directly checks them with a trust role over TCP",
  why: "To tell the primary from the standbys, HAProxy runs SELECT pg_is_in_recovery() as checkUser, and HAProxy cannot answer a SCRAM challenge, so pg_hba.conf trusts that role from the cluster network. It has no privileges, but anyone who can reach the nodes from that network can log in as it without a password (and read the catalogs of database postgres). With Pgpool as upstream, the read-write frontend only checks that Pgpool accepts TCP connections; a read-only frontend still checks its standbys this way (that is what keeps writes off it), which is part of what readOnly costs and not warned about.",
  fix: 'use a PgPool as the HAProxy upstream: upstream: pgpool',
  example: "new Haproxy(cluster, 'haproxy', { upstream: [primary, r1, r2], readWrite: { hostPort: 5100 } })",
  check(spec) {
    return spec.haproxies.flatMap((h) => {
      if (h.upstream.kind !== 'direct') return [];
      return [
        {
          node: h,
          field: 'upstream',
          message: `checks ${h.upstream.ids.length} node(s) directly as '${h.checkUser}', which pg_hba.conf trusts over TCP from the cluster network (no password)`,
        },
      ];
    });
  },
});
