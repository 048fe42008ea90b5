import { resolve } from 'node:path';
import type { Cluster } from '../../model/cluster.js';
import { synthesize } from '../../writer/synthesize.js';
import { checkFiles, outDirProblem, writeFiles, WriterError } from '../../writer/writer.js';
import { ExitCode } from '../exit-codes.js';
import { dim, green, plural, printDiagnostics, red, yellow, type Output } from '../output.js';

export interface SynthOptions {
  out: string;
  check: boolean;
  force: boolean;
}

/** `synth` and `synth --check`: validate, render, then write (or compare) the output directory. */
export function synth(o: Output, cluster: Cluster, options: SynthOptions): ExitCode {
  const { files, warnings } = synthesize(cluster);
  printDiagnostics(o, warnings);
  const outDir = resolve(options.out);
  const problem = outDirProblem(outDir, process.cwd());
  if (problem) {
    throw new WriterError('PGS905', [options.out], `--out ${options.out}: ${problem}; synth writes and deletes its own files there`, 'give --out a directory of its own inside the project, e.g. --out cluster (the default)');
  }
  if (options.check) {
    const drift = checkFiles(files, outDir);
    if (drift.clean) {
      o.out(green(o, `${options.out}: ${plural(files.length, 'file')} up to date`));
      return ExitCode.ok;
    }
    o.out(drift.diff);
    const n = drift.drifted.length;
    o.out(red(o, `${options.out}: ${plural(n, 'file')} ${n === 1 ? 'differs' : 'differ'} from cluster.config.ts; run synth to update ${n === 1 ? 'it' : 'them'}`));
    return ExitCode.refused;
  }
  const report = writeFiles(files, { outDir, force: options.force });
  for (const path of report.created) o.out(`${green(o, 'created')} ${options.out}/${path}`);
  for (const path of report.changed) o.out(`${yellow(o, 'changed')} ${options.out}/${path}`);
  for (const path of report.deleted) o.out(`${red(o, 'deleted')} ${options.out}/${path}`);
  o.out(dim(o, `${plural(report.unchanged.length, 'file')} unchanged`));
  return ExitCode.ok;
}
