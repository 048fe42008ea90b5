import { defineRule } from '../rule.js';
import { primaries } from '../helpers/spec-helpers.js';

export const slotWalKeepSizeBounded = defineRule({
  code: 'PGS021',
  severity: 'warning',
  title: 'A primary with replication slots bounds the WAL they may hold (max_slot_wal_keep_size)',
  why: "A slot keeps every WAL segment its replica has not received. With max_slot_wal_keep_size = -1 a replica that is down or lagging holds WAL without limit until the primary's disk is full and the primary stops (\"could not write to file \"pg_wal/xlogtemp…\": No space left on device\").",
  fix: "set maxSlotWalKeepSize to a bound the primary's disk can hold, e.g. '4GB' (the default)",
  example: "new Primary(cluster, 'pg-primary', { hostPort: 5611, maxSlotWalKeepSize: -1 }) // with replicas using slots",
  check(spec) {
    return primaries(spec).flatMap((p) => {
      const slots = p.primary?.slots.length ?? 0;
      if (slots === 0 || p.maxSlotWalKeepSize !== -1) return [];
      return [{ node: p, field: 'maxSlotWalKeepSize', message: `maxSlotWalKeepSize is -1 (unlimited) with ${slots} replication slot(s): a replica that stays down can fill the primary's disk with WAL` }];
    });
  },
});
