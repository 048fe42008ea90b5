import { slotNameFor } from '../../model/defaults.js';
import { defineRule, type Finding } from '../rule.js';
import { primaries } from '../helpers/spec-helpers.js';
import { byteLength, forbiddenCharacter } from '../helpers/text-checks.js';

const SLOT_NAME = /^[a-z0-9_]+$/;
const MAX_BYTES = 63;

function slotProblem(name: string): string | null {
  if (!SLOT_NAME.test(name)) return `slot name '${name}' may contain only lower-case letters, digits and underscores`;
  const bytes = byteLength(name);
  if (bytes > MAX_BYTES) return `slot name '${name.slice(0, 20)}…' is ${bytes} bytes; slot names are at most ${MAX_BYTES}`;
  return null;
}

function suggestion(name: string): string {
  return slotNameFor(name.toLowerCase()).slice(0, MAX_BYTES) || 'backup_slot';
}

export const slotNamesValid = defineRule({
  code: 'PGS019',
  severity: 'error',
  title: 'Replication slot names are at most 63 bytes of lower-case letters, digits and underscores',
  why: 'PostgreSQL rejects other names when the slot is created and when primary_slot_name is read: "replication slot name "…" contains invalid character" (HINT "Replication slot names may only contain lower case letters, numbers, and the underscore character.") or "replication slot name "…" is too long". The bootstrap then fails and the replica cannot stream.',
  fix: "use lower-case letters, digits and underscores only, e.g. slot: 'pg_replica1'",
  example: "new Replica(cluster, 'pg-replica1', { primary, hostPort: 5612, slot: 'pg-replica1' })",
  check(spec) {
    const findings: Finding[] = [];
    for (const n of spec.postgres) {
      const slot = n.replica?.slotName;
      // Derived names are valid whenever the id is a DNS label (PGS090 reports ids); characters
      // that cannot be written at all are PGS070's.
      if (!slot || slot === slotNameFor(n.id) || forbiddenCharacter(slot)) continue;
      const problem = slotProblem(slot);
      if (problem) findings.push({ node: n, field: 'slot', message: problem, fix: `set slot: '${suggestion(slot)}'` });
    }
    for (const p of primaries(spec)) {
      p.primary?.extraSlots.forEach((slot, i) => {
        if (forbiddenCharacter(slot)) return;
        const problem = slotProblem(slot);
        if (problem) findings.push({ node: p, field: `extraSlots[${i}]`, message: problem, fix: `use '${suggestion(slot)}' in extraSlots` });
      });
    }
    return findings;
  },
});
