import { defineRule } from '../rule.js';
import { constructs } from '../helpers/construct-ids.js';
import { isDnsLabel } from '../helpers/text-checks.js';

function suggestion(id: string): string {
  const cleaned = id
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return cleaned || 'node';
}

export const idsAreDnsLabels = defineRule({
  code: 'PGS090',
  severity: 'error',
  title: 'Construct ids are DNS labels',
  why: "An id is the compose service name and host name every other service uses (primary_conninfo host, backend_hostname, HAProxy server), and the prefix of the replica's slot and application name. Compose service names and host names must be DNS labels: lower-case letters, digits and hyphens, starting with a letter, at most 63 characters. Other names fail to resolve or are rejected by Compose.",
  fix: "rename the construct, e.g. 'pg-replica1'",
  example: "new Replica(cluster, 'PG_Replica1', { primary, hostPort: 5612 })",
  check(spec) {
    return constructs(spec).flatMap((c) =>
      isDnsLabel(c.id)
        ? []
        : [
            {
              node: c,
              field: 'id',
              message: `id '${c.id}' is not a DNS label (lower-case letters, digits and hyphens, starting with a letter, at most 63 characters)`,
              fix: `rename it to '${suggestion(c.id)}'`,
            },
          ],
    );
  },
});
