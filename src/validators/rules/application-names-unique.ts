import { defineRule } from '../rule.js';

export const applicationNamesUnique = defineRule({
  code: 'PGS018',
  severity: 'error',
  title: 'Every replica has its own application_name',
  why: "pg_stat_replication, synchronous_standby_names and Pgpool's backend_application_name tell standbys apart only by application_name, which PostgreSQL does not require to be unique: two replicas with one name make synchronous priority indeterminate and Pgpool's replication-state columns wrong.",
  fix: 'give each replica a distinct applicationName (or leave it unset: it defaults to the replica id)',
  example: "new Replica(cluster, 'pg-replica1', { primary, hostPort: 5612, applicationName: 'standby' });\nnew Replica(cluster, 'pg-replica2', { primary, hostPort: 5613, applicationName: 'standby' });",
  check(spec) {
    const firstWith = new Map<string, string>();
    return spec.postgres.flatMap((r) => {
      if (!r.replica) return [];
      // PostgreSQL compares standby names case-insensitively.
      const key = r.replica.applicationName.toLowerCase();
      const first = firstWith.get(key);
      if (first === undefined) {
        firstWith.set(key, r.path);
        return [];
      }
      // Two replicas with one id share the default name; PGS091 reports the id.
      if (first === r.path) return [];
      return [
        {
          node: r,
          field: 'applicationName',
          message: `application_name '${r.replica.applicationName}' is already used by ${first}`,
          fix: `set applicationName: '${r.id}' (or remove applicationName to use the id)`,
        },
      ];
    });
  },
});
