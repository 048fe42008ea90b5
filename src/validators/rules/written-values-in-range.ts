import type { PostgresNodeSpec } from '../../model/spec.js';
import { CONTROLLED_SETTINGS, checkCombinations, checkSettingValue, type SettingIssue } from '../../settings/validate.js';
import { pgsynthWrittenSettings } from '../../render/postgres/postgresql-conf.js';
import { defineRule, type Finding } from '../rule.js';

/** The option a parameter comes from, for the field of a finding. */
function fieldOf(key: string): string {
  const option = CONTROLLED_SETTINGS[key]?.option;
  return option && !option.includes('.') ? option : `settings.${key}`;
}

function derivedNote(node: PostgresNodeSpec, key: string, option: string): string {
  if (key !== 'max_connections' || node.limits.maxConnectionsDerived !== true) return '';
  return ` (${option} is not set: pgsynth derived it from Σ numInitChildren × maxPool of the Pgpools in front, + 2 checks each, + the reserved connections + 10)`;
}

export const writtenValuesInServerRange = defineRule({
  code: 'PGS025',
  severity: 'error',
  title: "Every value pgsynth writes to postgresql.conf, set or derived, is one the cluster's PostgreSQL major accepts",
  why: 'The typed options (maxConnections, maxSlotWalKeepSize, maxLocksPerTransaction, …) and the values pgsynth derives from them (max_connections sized for the Pgpools in front) go into postgresql.conf like any setting. A value outside the server\'s range stops the server at start ("invalid value for parameter \\"max_connections\\": 300020", "FATAL: configuration file contains errors"), long after synth wrote the files. Each one is checked against the same catalog of the major as `settings`, including the server\'s limit on all processes together (max_connections + autovacuum_max_workers + 1 + max_worker_processes + max_wal_senders ≤ 262143).',
  fix: "bring the option within the range the message gives; for a derived max_connections, lower numInitChildren × maxPool of the Pgpools in front or set maxConnections",
  example: "new PgPool(cluster, 'pgpool', { backends: [primary], hostPort: 9999, numInitChildren: 1000, maxPool: 300 }) // max_connections 300020",
  check(spec) {
    return spec.postgres.flatMap((node) => {
      let entries;
      try {
        entries = pgsynthWrittenSettings(spec, node);
      } catch {
        return []; // a node the renderer cannot place (another cluster's primary) is reported by PGS011
      }
      const findings: Finding[] = [];
      const reported = new Set<string>();
      const report = (issue: SettingIssue, key: string) => {
        if (reported.has(key)) return; // one finding per parameter: a range problem implies the sum's
        reported.add(key);
        const field = fieldOf(key);
        const note = derivedNote(node, key, field);
        const fix = note ? `set maxConnections within the range, or lower numInitChildren × maxPool of the Pgpools in front (${issue.fix})` : issue.fix;
        findings.push({ node, field, message: `${issue.message}${note}`, fix });
      };
      const written = new Set(entries.map((e) => e.key));
      for (const { key, value } of entries) {
        for (const issue of checkSettingValue(spec.postgresVersion, key, value)) report(issue, key);
      }
      // Combinations with the user's settings; those among the settings alone are reported as PGS311.
      const together = { ...node.settings, ...Object.fromEntries(entries.map((e) => [e.key, e.value])) };
      for (const issue of checkCombinations(spec.postgresVersion, together)) {
        if (written.has(issue.name)) report(issue, issue.name);
      }
      return findings;
    });
  },
});
