import { isPgsynthError, type Diagnostic } from '../../src/validators/diagnostic.js';
import { renderClusterFiles } from '../../src/writer/synthesize.js';
import { buildCluster, type ConfigPlan } from './config-arbitrary.js';

// One config through the gate contract: refused by the builders or `validate` with diagnostics
// that carry a code, a construct path and a fix, or synthesized without an exception.

/** fast-check's seed and path from the environment, to replay a failure it printed. */
export const replay = {
  ...(process.env.PGSYNTH_FC_SEED ? { seed: Number(process.env.PGSYNTH_FC_SEED) } : {}),
  ...(process.env.PGSYNTH_FC_PATH ? { path: process.env.PGSYNTH_FC_PATH } : {}),
};

export type Outcome = 'refused at construction' | 'refused by validate' | 'synthesized';

function wellFormed(d: Diagnostic): boolean {
  return /^PGS\d{3}$/.test(d.code) && d.path.startsWith('shop') && d.message.length > 0 && d.fix.length > 0 && typeof d.field === 'string';
}

/** Runs one plan through the gate; throws (failing the property) when the contract breaks. */
export function gate(plan: ConfigPlan): { outcome: Outcome; codes: string[]; files?: Array<{ path: string; content: string }> } {
  let cluster;
  try {
    cluster = buildCluster(plan);
  } catch (error) {
    if (!isPgsynthError(error)) throw error;
    if (!error.diagnostics.every(wellFormed)) throw new Error(`malformed diagnostic: ${JSON.stringify(error.diagnostics)}`);
    return { outcome: 'refused at construction', codes: error.diagnostics.map((d) => d.code) };
  }
  const diagnostics = cluster.validate({ targets: ['compose'] });
  if (!diagnostics.every(wellFormed)) throw new Error(`malformed diagnostic: ${JSON.stringify(diagnostics)}`);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return { outcome: 'refused by validate', codes: errors.map((d) => d.code) };
  // What validate accepted renders: a throw here (a renderer refusing) fails the property. This is
  // synthesize() without its second validation of the same config.
  const files = renderClusterFiles(cluster.resolve({ target: 'compose' }));
  return { outcome: 'synthesized', codes: [], files };
}

