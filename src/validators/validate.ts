import { installClusterValidator, type Cluster } from '../model/cluster.js';
import { resolveCluster, type ValidateOptions } from '../model/resolve/index.js';
import type { ClusterSpec } from '../model/spec.js';
import type { Diagnostic } from '../diagnostic.js';
import { RULES } from './registry.js';
import type { Rule } from './rule.js';
import { checkNodeSettings } from './settings-check.js';
import { applyAcknowledgments } from './acknowledgments.js';

/** Runs every rule over one resolved spec. */
export function checkSpec(spec: ClusterSpec, rules: readonly Rule[] = RULES): Diagnostic[] {
  const out: Diagnostic[] = checkNodeSettings(spec);
  for (const rule of rules) {
    if (rule.targets && !rule.targets.includes(spec.target)) continue;
    for (const f of rule.check(spec)) {
      out.push({
        code: rule.code,
        severity: rule.severity,
        path: f.node.path,
        field: f.field,
        message: f.message,
        fix: f.fix ?? rule.fix,
        ...(f.node.source ? { source: f.node.source } : {}),
      });
    }
  }
  return out;
}

export type { ValidateOptions } from '../model/resolve/index.js';

/** Every diagnostic for a cluster across the address plans asked for, each reported once. */
export function validateCluster(cluster: Cluster, options: ValidateOptions = {}): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const target of options.targets ?? ['compose', 'local']) {
    for (const d of checkSpec(resolveCluster(cluster, { ...options, target }))) {
      const key = `${d.code}\u0000${d.path}\u0000${d.field}\u0000${d.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(d);
    }
  }
  return applyAcknowledgments([cluster, ...cluster.nodes], out).sort(compareDiagnostics);
}

installClusterValidator(validateCluster);

function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  const la = a.source ? a.source.line : 0;
  const lb = b.source ? b.source.line : 0;
  return la - lb || a.path.localeCompare(b.path) || a.code.localeCompare(b.code) || a.field.localeCompare(b.field);
}
