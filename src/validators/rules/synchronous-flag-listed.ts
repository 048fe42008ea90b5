import { defineRule } from '../rule.js';
import { standbyNameMatches } from '../../model/standby-names.js';
import { syncConfigs } from '../helpers/sync-config.js';

export const synchronousReplicaListed = defineRule({
  code: 'PGS055',
  severity: 'warning',
  title: "A replica marked synchronous is named in its primary's explicit synchronousStandbyNames",
  why: "An explicit synchronousStandbyNames replaces the value derived from synchronous: true. A replica marked synchronous but not listed replicates asynchronously, which is not what its config says.",
  fix: "add the replica's application_name to synchronousStandbyNames, or remove synchronous: true",
  example: "new Primary(cluster, 'pg-primary', { hostPort: 5611, synchronousStandbyNames: 'FIRST 1 (\"pg-replica1\")' });\nnew Replica(cluster, 'pg-replica2', { primary, hostPort: 5613, synchronous: true });",
  check(spec) {
    return syncConfigs(spec).flatMap((config) => {
      if (!config.explicit) return [];
      return config.replicas.flatMap((r) => {
        const name = r.replica?.applicationName ?? '';
        if (!r.replica?.synchronous || config.value.names.some((listed) => standbyNameMatches(listed, name))) return [];
        return [
          {
            node: r,
            field: 'synchronous',
            message: `is marked synchronous but ${config.primary.path} synchronousStandbyNames '${config.text}' does not list its application_name '${name}': it replicates asynchronously`,
          },
        ];
      });
    });
  },
});
