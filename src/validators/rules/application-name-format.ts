import { defineRule } from '../rule.js';
import { backendNode } from '../helpers/cluster-members.js';
import { byteLength, describeCharacter, forbiddenCharacter, isDnsLabel } from '../helpers/text-checks.js';

/** PostgreSQL truncates application_name to NAMEDATALEN − 1 bytes. */
const POSTGRES_MAX = 63;
/** Pgpool copies backend_application_name with strlcpy(…, NAMEDATALEN − 1), keeping 62. */
const PGPOOL_MAX = 62;

export const applicationNameFormat = defineRule({
  code: 'PGS071',
  severity: 'error',
  title: 'application_name is printable ASCII, not empty, and short enough to survive truncation (63 bytes, 62 behind Pgpool)',
  why: 'PostgreSQL replaces every character outside printable ASCII with "?" and truncates the name to 63 bytes, and Pgpool keeps 62: the name the primary and Pgpool see then differs from the one in synchronous_standby_names and backend_application_name, so the standby is never synchronous and Pgpool shows no replication state for it. An empty name falls back to "walreceiver" for every standby.',
  fix: "use a short ASCII name such as the replica's id",
  example: "new Replica(cluster, 'pg-replica1', { primary, hostPort: 5612, applicationName: 'réplica-1' })",
  check(spec) {
    const behindAnyPgpool = new Set(spec.pgpools.flatMap((p) => p.backends.map((b) => backendNode(spec, b))));
    return spec.postgres.flatMap((n) => {
      const name = n.replica?.applicationName;
      if (name === undefined) return [];
      // The default name is the id (PGS090's); characters that cannot be written at all are PGS070's.
      if ((name === n.id && !isDnsLabel(n.id)) || forbiddenCharacter(name)) return [];
      const fix = isDnsLabel(n.id) ? `set applicationName: '${n.id}' or remove it (it defaults to the id)` : undefined;
      const finding = (message: string) => [{ node: n, field: 'applicationName', message, ...(fix ? { fix } : {}) }];
      if (name === '') return finding("applicationName is empty: the standby would connect as 'walreceiver'");
      const unprintable = [...name].find((ch) => ch < ' ' || ch > '~');
      if (unprintable) return finding(`applicationName '${name}' contains ${describeCharacter(unprintable)}, which PostgreSQL replaces with '?'`);
      const behindPgpool = behindAnyPgpool.has(n);
      const limit = behindPgpool ? PGPOOL_MAX : POSTGRES_MAX;
      const bytes = byteLength(name);
      if (bytes <= limit) return [];
      return finding(`applicationName is ${bytes} bytes; ${behindPgpool ? 'Pgpool keeps' : 'PostgreSQL keeps'} only ${limit}`);
    });
  },
});
