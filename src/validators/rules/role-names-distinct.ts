import type { NodeRef } from '../../model/spec.js';
import { defineRule, type Finding } from '../rule.js';

interface RoleUse {
  node: NodeRef;
  field: string;
  name: string;
  /** What the role is for; one name may serve one purpose only (several Pgpools may share a check role). */
  part: string;
}

export const roleNamesDistinct = defineRule({
  code: 'PGS076',
  severity: 'error',
  title: 'The superuser, replication role, application owner, Pgpool check role and HAProxy check role are different roles',
  why: "Each role gets the pg_hba.conf line and privileges of its part: the replication role REPLICATION, Pgpool's check role pg_monitor, HAProxy's check role trust over TCP. One name in two parts merges them: an HAProxy check role named like the superuser lets anyone on the network in as superuser without a password, and the bootstrap's CREATE ROLE for the second part fails (\"role … already exists\").",
  fix: 'give each part its own role name (defaults: postgres, replicator, app, pgpool, haproxy_check)',
  example: "new Haproxy(cluster, 'haproxy', { upstream: [primary, r1], readWrite: { hostPort: 5100 }, checkUser: 'postgres' })",
  check(spec) {
    const uses: RoleUse[] = [
      { node: spec, field: 'superuser.name', name: spec.roles.superuser.name, part: 'the superuser' },
      { node: spec, field: 'replicationUser.name', name: spec.roles.replication.name, part: 'the replication role' },
    ];
    for (const p of spec.postgres) if (p.primary) uses.push({ node: p, field: 'owner', name: p.primary.owner.name, part: `the owner of database '${p.primary.database}'` });
    for (const p of spec.pgpools) uses.push({ node: p, field: 'user', name: p.checkUser.name, part: "Pgpool's check role" });
    // The check role exists only when HAProxy checks the nodes itself.
    for (const h of spec.haproxies) if (h.upstream.kind === 'direct') uses.push({ node: h, field: 'checkUser', name: h.checkUser, part: "HAProxy's check role" });

    const findings: Finding[] = [];
    const first = new Map<string, RoleUse>();
    for (const use of uses) {
      const earlier = first.get(use.name);
      if (!earlier) {
        first.set(use.name, use);
      } else if (earlier.part !== use.part) {
        findings.push({
          node: use.node,
          field: use.field,
          message: `role '${use.name}' is ${use.part} here and already ${earlier.part} (${earlier.node.path} ${earlier.field})`,
        });
      }
    }
    return findings;
  },
});
