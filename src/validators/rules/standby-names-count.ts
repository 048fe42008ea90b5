import { defineRule } from '../rule.js';
import { describeValue, listedCapacity, SSN_FIELD, syncConfigs } from '../helpers/sync-config.js';

export const standbyNamesCount = defineRule({
  code: 'PGS052',
  severity: 'error',
  title: 'synchronous_standby_names waits for no more standbys than it lists',
  why: 'PostgreSQL accepts FIRST 3 (a, b) and checks only that n > 0: commits then wait for a third synchronous standby that can never exist, so every write on the primary hangs. With *, the bound is the number of replicas.',
  fix: 'lower n to the number of listed standbys, or list more standbys',
  example: "new Primary(cluster, 'pg-primary', { hostPort: 5611, synchronousStandbyNames: 'FIRST 3 (\"pg-replica1\", \"pg-replica2\")' })",
  check(spec) {
    return syncConfigs(spec).flatMap((config) => {
      const capacity = listedCapacity(config);
      const { num, method } = config.value;
      if (num <= capacity) return [];
      const what = config.value.names.includes('*') ? `the primary has ${capacity} replica(s) for '*'` : `it lists ${capacity} distinct standby name(s)`;
      return [
        {
          node: config.primary,
          field: SSN_FIELD,
          message: `${describeValue(config)} waits for ${num} synchronous standbys but ${what}`,
          fix: capacity > 0 ? `use ${method} ${capacity} (…) or list ${num - capacity} more standby(s)` : 'list at least one standby',
        },
      ];
    });
  },
});
