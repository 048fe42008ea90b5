import type { Rule } from './rule.js';
import { pgpoolBackendReachable } from './rules/pgpool-backend-reachable.js';
import { replicationSlotsFit } from './rules/replication-slots.js';

/** Every cross-field rule, in code order. docs/rules.md is generated from this list. */
export const RULES: readonly Rule[] = [replicationSlotsFit, pgpoolBackendReachable].sort((a, b) =>
  a.code.localeCompare(b.code),
);
