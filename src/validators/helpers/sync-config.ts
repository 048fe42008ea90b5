import { quoteStandbyName } from '../../model/resolve/index.js';
import type { ClusterSpec, PostgresNodeSpec } from '../../model/spec.js';
import { replicasOf } from './spec-helpers.js';
import { parseStandbyNames, standbyNameMatches, type StandbyNames } from '../../model/standby-names.js';

// What the synchronous-replication rules share: a primary's parsed synchronous_standby_names,
// and a suggested value naming that primary's replicas.

export interface SyncConfig {
  primary: PostgresNodeSpec;
  text: string;
  explicit: boolean;
  value: StandbyNames;
  replicas: PostgresNodeSpec[];
}

/** The parsed synchronous_standby_names of each primary that names any standby (unparsable values are PGS050's). */
export function syncConfigs(spec: ClusterSpec): SyncConfig[] {
  return spec.postgres.flatMap((p) => {
    if (!p.primary) return [];
    const parsed = parseStandbyNames(p.primary.synchronousStandbyNames);
    if (!parsed.ok || !parsed.value) return [];
    return [{ primary: p, text: p.primary.synchronousStandbyNames, explicit: p.primary.synchronousStandbyNamesExplicit, value: parsed.value, replicas: replicasOf(spec, p.id) }];
  });
}

/** The replicas a value can pick as synchronous standbys. */
export function candidates(config: SyncConfig): PostgresNodeSpec[] {
  return config.replicas.filter((r) => config.value.names.some((name) => standbyNameMatches(name, r.replica?.applicationName ?? '')));
}

/** Listed names that are no replica's application_name (`*` always matches). */
export function unknownNames(config: SyncConfig): string[] {
  return config.value.names.filter((name) => name !== '*' && !config.replicas.some((r) => standbyNameMatches(name, r.replica?.applicationName ?? '')));
}

/** How many different standbys the list can name: distinct names, or every replica with `*`. */
export function listedCapacity(config: SyncConfig): number {
  if (config.value.names.includes('*')) return config.replicas.length;
  return new Set(config.value.names.map((n) => n.toLowerCase())).size;
}

export function quotedNames(replicas: readonly PostgresNodeSpec[]): string {
  return replicas.map((r) => quoteStandbyName(r.replica?.applicationName ?? r.id)).join(', ');
}

/** Where a finding about the value belongs: the primary's field, however it was derived. */
export const SSN_FIELD = 'synchronousStandbyNames';

export function describeValue(config: SyncConfig): string {
  return config.explicit ? `synchronousStandbyNames '${config.text}'` : `synchronous_standby_names '${config.text}' (derived from synchronous: true)`;
}
