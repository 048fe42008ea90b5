import { defineRule } from '../rule.js';
import { primaries, replicasOf } from '../helpers/spec-helpers.js';

/** `pg_basebackup -X stream` (the default, and how replicas are made) holds two senders while it runs. */
const BASE_BACKUP_SENDERS = 2;

export const walSendersFit = defineRule({
  code: 'PGS013',
  severity: 'error',
  title: 'max_wal_senders covers every streaming replica plus two for a base backup',
  why: 'Each streaming replica holds one WAL sender, and pg_basebackup -X stream needs two more while a replica is being made. Beyond max_wal_senders the primary refuses with "number of requested standby connections exceeds max_wal_senders (currently N)" and the new or reconnecting replica stays down.',
  fix: 'raise maxWalSenders on the primary',
  example: "new Primary(cluster, 'pg-primary', { hostPort: 5611, maxWalSenders: 2 }) // with two replicas",
  check(spec) {
    return primaries(spec).flatMap((p) => {
      const replicas = replicasOf(spec, p.id).length;
      if (replicas === 0) return [];
      const needed = replicas + BASE_BACKUP_SENDERS;
      if (p.limits.maxWalSenders >= needed) return [];
      return [
        {
          node: p,
          field: 'maxWalSenders',
          message: `maxWalSenders is ${p.limits.maxWalSenders} but ${replicas} replica(s) stream and a base backup needs ${BASE_BACKUP_SENDERS} more: at least ${needed}`,
          fix: `set maxWalSenders to at least ${needed} on the primary (replicas default to the primary's value)`,
        },
      ];
    });
  },
});
