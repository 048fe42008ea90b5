import { defineRule } from '../rule.js';
import { primaries, replicasOf } from '../helpers/spec-helpers.js';

export const minimalWalLevelHasNoSenders = defineRule({
  code: 'PGS015',
  severity: 'error',
  title: "wal_level 'minimal' needs max_wal_senders = 0",
  why: 'PostgreSQL refuses to start when WAL senders are configured over minimal WAL: "WAL streaming (max_wal_senders > 0) requires wal_level "replica" or "logical"". maxWalSenders defaults to 10, so walLevel \'minimal\' alone is enough to keep a standalone primary down.',
  fix: 'set maxWalSenders: 0 next to walLevel: \'minimal\', or drop walLevel to keep the default \'replica\'',
  example: "new Primary(cluster, 'pg-primary', { hostPort: 5611, walLevel: 'minimal' }) // no replicas, maxWalSenders left at 10",
  check(spec) {
    return primaries(spec).flatMap((p) => {
      if (p.primary?.walLevel !== 'minimal' || p.limits.maxWalSenders === 0) return [];
      // With replicas or slots the mistake is wal_level itself; PGS014 reports that.
      if (replicasOf(spec, p.id).length > 0 || p.primary.extraSlots.length > 0) return [];
      return [
        {
          node: p,
          field: 'maxWalSenders',
          message: `walLevel is 'minimal' but maxWalSenders is ${p.limits.maxWalSenders}; the server refuses to start unless it is 0`,
          fix: "set maxWalSenders: 0, or walLevel: 'replica'",
        },
      ];
    });
  },
});
