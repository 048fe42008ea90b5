import type { Cluster } from '../../model/cluster.js';
import { green, printDiagnostics, type Output } from '../output.js';

/** `synth validate`: diagnostics only. Exit 1 when any error. */
export function validate(o: Output, cluster: Cluster): number {
  const diagnostics = cluster.validate();
  const errors = printDiagnostics(o, diagnostics);
  if (!diagnostics.length) o.out(green(o, `${cluster.path}: no problems found`));
  return errors ? 1 : 0;
}
