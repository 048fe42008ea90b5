import { RULES } from '../../validators/registry.js';
import type { Output } from '../output.js';
import { ExitCode } from '../exit-codes.js';
import { UsageError } from '../args.js';

/** `synth explain CODE`: a rule's documentation, as in docs/rules.md. */
export function explain(o: Output, code: string | undefined): ExitCode {
  if (!code) throw new UsageError('explain needs a rule code, e.g. synth explain PGS012');
  const rule = RULES.find((r) => r.code === code.toUpperCase());
  if (!rule) throw new UsageError(`no rule ${code}; the codes are listed in docs/rules.md`);
  o.out(`${rule.code} (${rule.severity}): ${rule.title}`);
  o.out('');
  o.out(`Why: ${rule.why}`);
  o.out(`Fix: ${rule.fix}`);
  o.out('');
  o.out('Example that triggers it:');
  o.out(`  ${rule.example}`);
  return ExitCode.ok;
}
