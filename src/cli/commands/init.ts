import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Output } from '../output.js';
import { ExitCode } from '../exit-codes.js';
import { ConfigLoadError } from '../load-config.js';
import { STARTER_CONFIG } from '../starter-config.js';

/**
 * `synth init`: writes a commented starter cluster.config.ts, adds a `synth` script to
 * package.json and `.pgsynth/` to .gitignore. Refuses to overwrite the config or a different
 * `synth` script.
 */
export function init(o: Output, cwd = process.cwd()): ExitCode {
  const configFile = resolve(cwd, 'cluster.config.ts');
  if (existsSync(configFile)) {
    throw new ConfigLoadError('cluster.config.ts already exists; init never overwrites it (delete it first to start over)');
  }
  const pkgFile = resolve(cwd, 'package.json');
  let pkg: { scripts?: Record<string, string> } | undefined;
  if (existsSync(pkgFile)) {
    pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { scripts?: Record<string, string> };
    if (pkg.scripts?.synth !== undefined && pkg.scripts.synth !== 'synth') {
      throw new ConfigLoadError(`package.json already has a different "synth" script (${JSON.stringify(pkg.scripts.synth)}); init leaves it alone`);
    }
  }
  writeFileSync(configFile, STARTER_CONFIG, { flag: 'wx' });
  o.out('created cluster.config.ts');
  if (pkg && pkg.scripts?.synth === undefined) {
    const raw = readFileSync(pkgFile, 'utf8');
    const indent = /^(\s+)"/m.exec(raw)?.[1] ?? '  ';
    pkg.scripts = { ...pkg.scripts, synth: 'synth' };
    writeFileSync(pkgFile, `${JSON.stringify(pkg, null, indent)}\n`);
    o.out('added "synth": "synth" to package.json scripts');
  }
  ignoreLocalData(o, cwd);
  o.out('next: npx synth validate && npx synth');
  return ExitCode.ok;
}

/** `synth up` keeps data and generated passwords in .pgsynth/: keep it out of git (appended, never rewritten). */
function ignoreLocalData(o: Output, cwd: string): void {
  const file = resolve(cwd, '.gitignore');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (/^\/?\.pgsynth\/?$/m.test(text)) return;
  const separator = text === '' || text.endsWith('\n') ? '' : '\n';
  writeFileSync(file, `${text}${separator}# synth up: the local cluster's data and generated passwords\n.pgsynth/\n`);
  o.out(text === '' ? 'created .gitignore with .pgsynth/' : 'added .pgsynth/ to .gitignore');
}
