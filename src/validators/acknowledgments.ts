import type { Diagnostic } from '../diagnostic.js';
import type { ConstructNode } from '../model/node.js';
import { RULES } from './registry.js';

/** An acknowledgment names an error or a code that is no rule. */
export const ACKNOWLEDGED_ERROR = 'PGS002';
/** An acknowledgment that no warning of this config needs. */
export const UNUSED_ACKNOWLEDGMENT = 'PGS003';

/**
 * Drops the warnings each construct acknowledged (`construct.acknowledge(code, reason)`) and
 * reports the acknowledgments that cannot or need not apply: an error stays an error whatever
 * the reason, and an acknowledgment left over after a config change would hide the next warning
 * of that code unseen.
 */
export function applyAcknowledgments(constructs: readonly ConstructNode[], diagnostics: Diagnostic[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const used = new Set<string>();
  const acknowledgedBy = new Map(constructs.map((c) => [c.path, c]));
  for (const d of diagnostics) {
    const reason = d.severity === 'warning' ? acknowledgedBy.get(d.path)?.acknowledged.get(d.code) : undefined;
    if (reason === undefined) out.push(d);
    else used.add(`${d.path}\u0000${d.code}`);
  }
  for (const construct of constructs) {
    for (const code of construct.acknowledged.keys()) {
      const rule = RULES.find((r) => r.code === code);
      const at = { path: construct.path, field: `acknowledge('${code}')`, ...(construct.source ? { source: construct.source } : {}) };
      if (!rule || rule.severity === 'error') {
        out.push({
          ...at,
          code: ACKNOWLEDGED_ERROR,
          severity: 'error',
          message: rule ? `${code} is an error: an error cannot be acknowledged, only fixed` : `${code} is not the code of a rule (synth explain lists the rules)`,
          fix: rule ? `fix what ${code} reports (synth explain ${code}) and remove the acknowledgment` : 'name a warning rule by its code, e.g. PGS213',
        });
      } else if (!used.has(`${construct.path}\u0000${code}`)) {
        out.push({
          ...at,
          code: UNUSED_ACKNOWLEDGMENT,
          severity: 'warning',
          message: `${code} is acknowledged here but ${construct.path} has no ${code} warning`,
          fix: `remove the acknowledgment of ${code} from ${construct.path}`,
        });
      }
    }
  }
  return out;
}
