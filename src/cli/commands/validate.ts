import type { Cluster } from '../../model/cluster.js';
import { ExitCode } from '../exit-codes.js';
import { green, printDiagnostics, type Output } from '../output.js';

/** `synth validate`: diagnostics only; refused when any is an error. */
export function validate(o: Output, cluster: Cluster): ExitCode {
  const diagnostics = cluster.validate();
  const errors = printDiagnostics(o, diagnostics);
  if (!diagnostics.length) o.out(green(o, `${cluster.path}: no problems found`));
  return errors ? ExitCode.refused : ExitCode.ok;
}
