import { defineRule } from '../rule.js';
import { describeValue, SSN_FIELD, syncConfigs, unknownNames } from '../helpers/sync-config.js';

export const standbyNamesKnown = defineRule({
  code: 'PGS051',
  severity: 'error',
  title: "Every name in synchronous_standby_names is the application_name of one of the primary's replicas",
  why: 'PostgreSQL does not check the names: a name no standby connects with is simply never synchronous. A typo in the only name, or FIRST/ANY n counting on it, makes every commit on the primary wait forever.',
  fix: "list the replicas' application names (their ids unless applicationName is set), double-quoted",
  example: "new Primary(cluster, 'pg-primary', { hostPort: 5611, synchronousStandbyNames: 'FIRST 1 (\"pg-replca1\")' })",
  check(spec) {
    return syncConfigs(spec).flatMap((config) => {
      const known = config.replicas.map((r) => r.replica?.applicationName).join(', ') || 'none';
      return unknownNames(config).map((name) => ({
        node: config.primary,
        field: SSN_FIELD,
        message: `${describeValue(config)} lists '${name}', which is not the application_name of any replica of ${config.primary.path} (replicas: ${known})`,
      }));
    });
  },
});
