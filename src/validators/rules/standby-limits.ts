import type { PostgresLimits } from '../../model/spec.js';
import { defineRule } from '../rule.js';
import { nodeById } from '../helpers/spec-helpers.js';

/** Limits a hot standby must match or exceed, with the server parameter each one sets. */
const REQUIRED: ReadonlyArray<[Exclude<keyof PostgresLimits, 'maxConnectionsDerived'>, string]> = [
  ['maxConnections', 'max_connections'],
  ['maxWorkerProcesses', 'max_worker_processes'],
  ['maxWalSenders', 'max_wal_senders'],
  ['maxPreparedTransactions', 'max_prepared_transactions'],
  ['maxLocksPerTransaction', 'max_locks_per_transaction'],
];

export const standbyLimitsCoverPrimary = defineRule({
  code: 'PGS017',
  severity: 'error',
  title: "A standby's max_connections, max_worker_processes, max_wal_senders, max_prepared_transactions and max_locks_per_transaction are at least the primary's",
  why: 'A hot standby sizes its shared memory for the transactions the primary may run. With a lower setting it logs "hot standby is not possible because of insufficient parameter settings" (DETAIL "max_connections = 80 is a lower setting than on the primary server, where its value was 100."), pauses recovery and then stops with "recovery aborted because of insufficient parameter settings".',
  fix: "leave the setting unset on the replica (it defaults to the primary's) or raise it to the primary's value",
  example: "new Primary(cluster, 'pg-primary', { hostPort: 5611, maxConnections: 200 });\nnew Replica(cluster, 'pg-replica1', { primary, hostPort: 5612, maxConnections: 100 });",
  check(spec) {
    return spec.postgres.flatMap((r) => {
      if (!r.replica) return [];
      const primary = nodeById(spec, r.replica.upstreamId);
      if (!primary || primary.role !== 'primary') return [];
      return REQUIRED.flatMap(([field, parameter]) => {
        const own = r.limits[field];
        const theirs = primary.limits[field];
        if (own >= theirs) return [];
        return [
          {
            node: r,
            field,
            message: `${field} (${parameter}) is ${own}, lower than ${theirs} on the primary ${primary.path}`,
            fix: `set ${field} to at least ${theirs}, or remove it to inherit the primary's value`,
          },
        ];
      });
    });
  },
});
