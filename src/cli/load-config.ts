import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Jiti } from 'jiti';
import type { Cluster } from '../model/cluster.js';
import { packageRoot } from '../package-root.js';
import { hasBrand } from '../brand.js';
import { isPgsynthError } from '../diagnostic.js';

export const CONFIG_NAMES = ['cluster.config.ts', 'cluster.config.mts', 'cluster.config.js', 'cluster.config.mjs'];

/** A config that could not be found or loaded: ExitCode.usage, with the config's own file:line when known. */
export class ConfigLoadError extends Error {
  fix?: string;
}

export function findConfig(explicit: string | undefined, cwd = process.cwd()): string {
  if (explicit) {
    const file = resolve(cwd, explicit);
    if (!existsSync(file)) throw new ConfigLoadError(`config file not found: ${explicit}`);
    return file;
  }
  for (const name of CONFIG_NAMES) {
    const file = resolve(cwd, name);
    if (existsSync(file)) return file;
  }
  throw new ConfigLoadError(`no ${CONFIG_NAMES.join(', ')} in ${cwd} (run 'synth init' to create one, or pass --config FILE)`);
}

/**
 * Imports the config and returns its cluster. TypeScript goes through jiti (transpile only: type
 * checking belongs to the user's tsc); plain JavaScript is imported natively.
 */
export async function loadCluster(file: string): Promise<Cluster> {
  process.setSourceMapsEnabled(true);
  let mod: { default?: unknown };
  try {
    mod = await withoutExit(file, async () => {
      if (/\.m?js$/.test(file)) return (await import(pathToFileURL(file).href)) as { default?: unknown };
      // The module namespace, not jiti's `default: true` (which reads `.then` of a null export).
      return (await configLoader().import(file)) as { default?: unknown };
    });
  } catch (error) {
    if (isPgsynthError(error) || error instanceof ConfigLoadError) throw error;
    throw new ConfigLoadError(`${file}: the config threw while loading: ${describeThrow(error, file)}`);
  }
  let value = typeof mod === 'object' && mod !== null ? mod.default : undefined;
  if (typeof value === 'function') {
    try {
      value = await withoutExit(file, async () => (value as () => unknown)());
    } catch (error) {
      if (isPgsynthError(error) || error instanceof ConfigLoadError) throw error;
      throw new ConfigLoadError(`${file}: the config's default export threw: ${describeThrow(error, file)}`);
    }
  }
  if (!isCluster(value)) {
    throw new ConfigLoadError(`${file}: the default export must be a Cluster (or a function returning one); got ${describe(value)}`);
  }
  return value;
}

/**
 * Runs `run` (loading the config, then the command) with process.exit refused: a config that
 * exits, at once or from a timer, would otherwise end `synth --check` with its own exit code (0:
 * "up to date") before anything was checked. The call is only recorded, never thrown (a throw
 * from a timer would crash the CLI), and reported once `run` is done.
 */
export async function withoutExit<T>(file: string, run: () => Promise<T>): Promise<T> {
  const exit = process.exit;
  let code: number | string | null | undefined;
  let called = false;
  process.exit = ((c?: number | string | null) => {
    if (!called) (called = true), (code = c);
    return undefined as never;
  }) as typeof process.exit;
  const exited = () => {
    const error = new ConfigLoadError(`${file}: the config called process.exit(${code ?? ''}); a config must only build and export its cluster`);
    error.fix = 'remove the process.exit call from the config';
    return error;
  };
  try {
    const result = await run();
    if (called) throw exited();
    return result;
  } catch (error) {
    // Whatever followed the exit (a null export, a caught exception), the exit is what happened.
    throw called ? exited() : error;
  } finally {
    process.exit = exit;
  }
}

let loader: Jiti | undefined;

/**
 * One jiti per process, keeping its module cache for pgsynth and node_modules (they do not change
 * while a process runs) and dropping everything else before each load, so a config edited between
 * two loads in one process (tests, a watcher) is read again. A fresh loader per call re-resolved
 * and re-transpiled all of pgsynth each time: seconds per call.
 */
function configLoader(): Jiti {
  // require, not import: importing jiti's CommonJS build from ESM makes Node lex all of it
  // for named exports, a third of a cold start.
  loader ??= (createRequire(import.meta.url)('jiti') as typeof import('jiti')).createJiti(import.meta.url, { sourceMaps: true, tryNative: false, interopDefault: false });
  const keep = `${packageRoot()}/`;
  for (const key of Object.keys(loader.cache)) {
    const ownOrInstalled = (key.startsWith(keep) && !key.startsWith(`${keep}test/`) && !key.startsWith(`${keep}fixtures/`)) || key.includes('/node_modules/');
    if (!ownOrInstalled) delete loader.cache[key];
  }
  return loader;
}

// Cluster.isCluster's brand check, without loading the model (zod) before the config does: the
// config may bring its own copy of pgsynth, and then this one's model is never needed.
function isCluster(value: unknown): value is Cluster {
  return hasBrand(value, 'Cluster');
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (add `export default cluster;`)';
  if (value === null) return 'null';
  const name = typeof value === 'object' ? ((value as object).constructor?.name ?? 'Object') : '';
  // A Cluster of a pgsynth from before the brands: the same class name, no brand.
  if (name === 'Cluster') return 'a Cluster without pgsynth\'s brand, from another, older copy of pgsynth (install one pgsynth version: npm ls pgsynth)';
  if (typeof value === 'object') return `an object (${name})`;
  return typeof value;
}

/** The error's message plus the first stack frame inside the config file, as file:line:column. */
function describeThrow(error: unknown, file: string): string {
  if (!(error instanceof Error)) return String(error);
  const frame = (error.stack ?? '').split('\n').find((l) => l.includes(file));
  const where = frame ? /(\d+):(\d+)\)?\s*$/.exec(frame) : null;
  return where ? `${error.message} (at ${file}:${where[1]}:${where[2]})` : error.message;
}
