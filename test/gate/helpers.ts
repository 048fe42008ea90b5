import { expect } from 'vitest';
import type { Cluster, Diagnostic } from '../../src/index.js';
import { synthesize } from '../../src/writer/synthesize.js';
import { checkPostgresqlConf, type TestedMajor } from '../support/postgres-check.js';
import { checkComposeYaml, checkHaproxyCfg, checkPgpoolConf } from '../support/real-tools.js';

// The gate contract, as assertions: a config is either refused with a code, construct path,
// field and fix, or it synthesizes and every generated file passes the real tool that reads it.

/** The first error `validate` reports for `field` with `code`; fails when there is none. */
export function expectRefused(cluster: Cluster, code: string, path: string, field: string): Diagnostic {
  const errors = cluster.validate().filter((d) => d.severity === 'error');
  const found = errors.find((d) => d.code === code && d.path === path && d.field === field);
  expect(found, `expected ${code} at ${path} ${field}; got ${JSON.stringify(errors.map((d) => `${d.code} ${d.path} ${d.field}: ${d.message}`))}`).toBeDefined();
  expect(found!.message.length).toBeGreaterThan(10);
  expect(found!.fix.length).toBeGreaterThan(5);
  // And synth refuses it the same way, never with a crash.
  expect(() => synthesize(cluster)).toThrowError(expect.objectContaining({ name: 'PgsynthError' }) as Error);
  return found!;
}

/** The warning `validate` reports for `field` with `code`. */
export function expectWarned(cluster: Cluster, code: string, field: string): Diagnostic {
  const found = cluster.validate().find((d) => d.code === code && d.field === field && d.severity === 'warning');
  expect(found, `expected warning ${code} on ${field}`).toBeDefined();
  return found!;
}

/** Synthesizes and runs every generated file through its real tool; returns the files. */
export function expectWorks(cluster: Cluster, options: { compose?: boolean } = {}): Record<string, string> {
  const { files } = synthesize(cluster);
  const byPath = Object.fromEntries(files.map((f) => [f.path, f.content]));
  const major = cluster.props.postgresVersion as TestedMajor;
  for (const [path, content] of Object.entries(byPath)) {
    let check: { ok: boolean; message: string } | undefined;
    if (path.endsWith('/postgresql.conf')) check = checkPostgresqlConf(content, major);
    else if (path.endsWith('/pgpool.conf')) check = checkPgpoolConf(content, { poolHba: byPath[path.replace('pgpool.conf', 'pool_hba.conf')] });
    else if (path.endsWith('/haproxy.cfg')) check = checkHaproxyCfg(content);
    else if (path === 'docker-compose.yml' && options.compose !== false) check = checkComposeYaml(content, byPath);
    if (check) expect(check.ok, `${path}: ${check.message}`).toBe(true);
  }
  return byPath;
}
