import { slotNameFor } from '../../model/defaults.js';
import type { ClusterSpec, NodeRef } from '../../model/spec.js';
import { defineRule } from '../rule.js';
import { forbiddenCharacter } from '../helpers/text-checks.js';

interface FreeText {
  node: NodeRef;
  field: string;
  value: string;
}

/** The values the builders accept as free text (no regex) that end up in generated files. */
function freeTexts(spec: ClusterSpec): FreeText[] {
  const texts: FreeText[] = [];
  for (const n of spec.postgres) {
    if (n.primary?.synchronousStandbyNamesExplicit) texts.push({ node: n, field: 'synchronousStandbyNames', value: n.primary.synchronousStandbyNames });
    n.primary?.extraSlots.forEach((slot, i) => texts.push({ node: n, field: `extraSlots[${i}]`, value: slot }));
    const r = n.replica;
    if (r && r.applicationName !== n.id) texts.push({ node: n, field: 'applicationName', value: r.applicationName });
    if (r?.slotName && r.slotName !== slotNameFor(n.id)) texts.push({ node: n, field: 'slot', value: r.slotName });
  }
  for (const p of spec.pgpools) {
    for (const b of p.backends) if (b.nodeId === null) texts.push({ node: p, field: `${b.field}.host`, value: b.host });
  }
  return texts;
}

export const valuesSafeInFiles = defineRule({
  code: 'PGS070',
  severity: 'error',
  title: 'Free-text values contain no newline, carriage return, NUL, single quote or backslash',
  why: "These values are written inside single-quoted postgresql.conf and pgpool.conf values (primary_conninfo, synchronous_standby_names, backend_hostname) and into shell scripts. A quote ends the value early, a backslash starts an escape, and a newline starts a new line of the file: a newline in an environment variable that ends up in one of them can add a pg_hba.conf line such as \"host replication all 0.0.0.0/0 md5\", letting any address ask for replication.",
  fix: 'remove the character from the value',
  example: "new Replica(cluster, 'pg-replica1', { primary, hostPort: 5612, applicationName: \"replica'1\" })",
  check(spec) {
    return freeTexts(spec).flatMap(({ node, field, value }) => {
      const bad = forbiddenCharacter(value);
      if (!bad) return [];
      return [{ node, field, message: `${field} contains ${bad}, which cannot be written safely into a quoted config value or a shell script` }];
    });
  },
});
