import type { ClusterSpec, NodeRef } from '../model/spec.js';
import type { Severity } from '../diagnostic.js';

/** One violation a rule found; the engine adds the rule's code, severity and the node's source. */
export interface Finding {
  node: NodeRef;
  field: string;
  message: string;
  /** Overrides the rule's generic fix with a specific one. */
  fix?: string;
}

/**
 * A cross-field rule: a small pure function over the resolved spec, with the documentation
 * `docs/rules.md` is generated from.
 */
export interface Rule {
  /** Stable code, `PGS` + three digits; never reused. */
  code: string;
  severity: Severity;
  /** One line: what must hold. */
  title: string;
  /** What breaks otherwise (the server's own message where there is one). */
  why: string;
  /** The generic fix, shown when a finding has none of its own. */
  fix: string;
  /** A config fragment that triggers the rule. */
  example: string;
  /** Address plans the rule applies to. @default both */
  targets?: ReadonlyArray<ClusterSpec['target']>;
  check(spec: ClusterSpec): Finding[];
}

export function defineRule(rule: Rule): Rule {
  if (!/^PGS\d{3}$/.test(rule.code)) throw new Error(`rule code ${rule.code} must be PGS followed by three digits`);
  return rule;
}
