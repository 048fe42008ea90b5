import { findCode } from '../../codes.js';
import { RULES } from '../../validators/registry.js';
import type { Output } from '../output.js';
import { ExitCode } from '../exit-codes.js';
import { UsageError } from '../args.js';

/** `synth explain CODE`: a rule's documentation, or any other code pgsynth prints, as in docs/rules.md. */
export function explain(o: Output, code: string | undefined): ExitCode {
  if (!code) throw new UsageError('explain needs a code, e.g. synth explain PGS012');
  const rule = RULES.find((r) => r.code === code.toUpperCase());
  if (rule) {
    o.out(`${rule.code} (${rule.severity}): ${rule.title}`);
    o.out('');
    o.out(`Why: ${rule.why}`);
    o.out(`Fix: ${rule.fix}`);
    o.out('');
    o.out('Example that triggers it:');
    o.out(`  ${rule.example}`);
    return 0;
  }
  const doc = findCode(code);
  if (!doc) throw new UsageError(`no code ${code}; every code is listed in docs/rules.md`);
  o.out(`${doc.code} (error${doc.symbol ? `, ${doc.symbol}` : ''}): ${doc.title}`);
  o.out('');
  o.out(`Why: ${doc.why}`);
  o.out(`Fix: ${doc.fix}`);
  return ExitCode.ok;
}
