import { defineRule } from '../rule.js';
import { primaries } from '../helpers/spec-helpers.js';

export const exactlyOnePrimary = defineRule({
  code: 'PGS010',
  severity: 'error',
  title: 'The cluster has exactly one Primary',
  why: 'Replicas stream from one primary, Pgpool looks for one primary among its backends and HAProxy sends writes to one. With none there is nothing to write to; with two, both accept writes and their data diverge (physical replication cannot merge them).',
  fix: 'declare one Primary and make every other node a Replica of it',
  example: "new Primary(cluster, 'pg-a', { hostPort: 5611 });\nnew Primary(cluster, 'pg-b', { hostPort: 5612 });",
  check(spec) {
    const found = primaries(spec);
    if (found.length === 0) {
      return [{ node: spec, field: '', message: `the cluster has ${spec.postgres.length} PostgreSQL node(s) and no Primary`, fix: "add new Primary(cluster, 'pg-primary', { hostPort: 5611 })" }];
    }
    const [first, ...extra] = found;
    return extra.map((p) => ({
      node: p,
      field: '',
      message: `is a second Primary: ${first?.path} is already the cluster's primary (${found.length} primaries in all)`,
      fix: `make ${p.id} a Replica: new Replica(cluster, '${p.id}', { primary, hostPort: ${p.port.hostPort} })`,
    }));
  },
});
