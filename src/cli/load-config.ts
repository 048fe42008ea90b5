import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Jiti } from 'jiti';
import type { Cluster } from '../model/cluster.js';
import { packageRoot } from '../package-root.js';
import { isPgsynthError } from '../diagnostic.js';

export const CONFIG_NAMES = ['cluster.config.ts', 'cluster.config.mts', 'cluster.config.js', 'cluster.config.mjs'];

/** A config that could not be found or loaded: exit code 2, with the config's own file:line when known. */
export class ConfigLoadError extends Error {}

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
    if (/\.m?js$/.test(file)) {
      mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
    } else {
      const jiti = configLoader();
      mod = { default: await jiti.import(file, { default: true }) };
    }
  } catch (error) {
    if (isPgsynthError(error)) throw error;
    throw new ConfigLoadError(`${file}: the config threw while loading: ${describeThrow(error, file)}`);
  }
  let value = mod.default;
  if (typeof value === 'function') {
    try {
      value = await (value as () => unknown)();
    } catch (error) {
      if (isPgsynthError(error)) throw error;
      throw new ConfigLoadError(`${file}: the config's default export threw: ${describeThrow(error, file)}`);
    }
  }
  if (!isCluster(value)) {
    throw new ConfigLoadError(`${file}: the default export must be a Cluster (or a function returning one); got ${describe(value)}`);
  }
  return value;
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
  loader ??= (createRequire(import.meta.url)('jiti') as typeof import('jiti')).createJiti(import.meta.url, { sourceMaps: true, tryNative: false });
  const keep = `${packageRoot()}/`;
  for (const key of Object.keys(loader.cache)) {
    const ownOrInstalled = (key.startsWith(keep) && !key.startsWith(`${keep}test/`) && !key.startsWith(`${keep}fixtures/`)) || key.includes('/node_modules/');
    if (!ownOrInstalled) delete loader.cache[key];
  }
  return loader;
}

// Duck-typed: a config may load its own copy of pgsynth's classes.
function isCluster(value: unknown): value is Cluster {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Cluster).resolve === 'function' &&
    typeof (value as Cluster).validate === 'function' &&
    Array.isArray((value as Cluster).nodes)
  );
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (add `export default cluster;`)';
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object (${(value as object).constructor?.name ?? 'Object'})`;
  return typeof value;
}

/** The error's message plus the first stack frame inside the config file, as file:line:column. */
function describeThrow(error: unknown, file: string): string {
  if (!(error instanceof Error)) return String(error);
  const frame = (error.stack ?? '').split('\n').find((l) => l.includes(file));
  const where = frame ? /(\d+):(\d+)\)?\s*$/.exec(frame) : null;
  return where ? `${error.message} (at ${file}:${where[1]}:${where[2]})` : error.message;
}
