import { defineRule, type Finding } from '../rule.js';
import { primaries, replicasOf } from '../helpers/spec-helpers.js';

export const slotNamesUnique = defineRule({
  code: 'PGS020',
  severity: 'error',
  title: 'Every replication slot of a primary has its own name',
  why: 'A slot serves one consumer. The bootstrap fails creating the second slot ("replication slot "…" already exists"), and if two replicas share one slot the second is refused ("replication slot "…" is active for PID …") while WAL retention follows whichever streamed last.',
  fix: 'give each replica its own slot (slot: true derives one from the id) and keep extraSlots distinct from them',
  example: "new Replica(cluster, 'pg-replica1', { primary, hostPort: 5612, slot: 'standby' });\nnew Replica(cluster, 'pg-replica2', { primary, hostPort: 5613, slot: 'standby' });",
  check(spec) {
    const findings: Finding[] = [];
    for (const p of primaries(spec)) {
      const owner = new Map<string, string>();
      for (const r of replicasOf(spec, p.id)) {
        const slot = r.replica?.slotName;
        if (!slot) continue;
        const first = owner.get(slot);
        if (first === undefined) owner.set(slot, r.path);
        // Two replicas with one id derive one slot name; PGS091 reports the id.
        else if (first !== r.path)
          findings.push({ node: r, field: 'slot', message: `slot '${slot}' is already the slot of ${first}`, fix: `set slot: '${slot}_${r.id.replace(/[^a-z0-9_]/g, '_')}' or slot: true` });
      }
      p.primary?.extraSlots.forEach((slot, i) => {
        const first = owner.get(slot);
        if (first === undefined) owner.set(slot, `extraSlots of ${p.path}`);
        else findings.push({ node: p, field: `extraSlots[${i}]`, message: `extra slot '${slot}' is already the slot of ${first}`, fix: `rename it, e.g. '${slot}_extra', or remove the duplicate` });
      });
    }
    return findings;
  },
});
