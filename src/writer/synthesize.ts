import type { Cluster } from '../model/cluster.js';
import type { ResolveOptions } from '../model/resolve/index.js';
import { serviceIds } from '../model/services.js';
import type { ClusterSpec } from '../model/spec.js';
import { PgsynthError, type Diagnostic } from '../diagnostic.js';
import { internal } from '../internal-error.js';
import { comparePaths, type GeneratedFile } from '../render/generated-file.js';
import { configHashes, renderComposeYaml, renderEnvExample, renderGitignore } from '../render/compose/index.js';
import { renderHaproxyCfg } from '../render/haproxy/index.js';
import { renderComposeDockerfile } from '../render/backup/compose-image.js';
import { renderPgbackrestConf } from '../render/backup/pgbackrest-conf.js';
import { renderScheduleScript } from '../render/backup/schedule-script.js';
import { backedUpNode } from '../render/backup/paths.js';
import { renderFailoverScript, renderPgpoolConf, renderPgpoolEntrypoint, renderPoolHbaConf } from '../render/pgpool/index.js';
import { renderPgHbaConf, renderPostgresqlConf, renderPrimaryEntrypoint, renderPrimaryInitScript, renderReplicaEntrypoint } from '../render/postgres/index.js';

/** Every file of the compose target, rendered from the resolved spec, sorted by path. */
export function renderClusterFiles(spec: ClusterSpec): GeneratedFile[] {
  const files: GeneratedFile[] = [
    { path: '.env.example', content: renderEnvExample(spec) },
    { path: '.gitignore', content: renderGitignore(spec) },
  ];
  for (const node of spec.postgres) {
    files.push({ path: `${node.id}/postgresql.conf`, content: renderPostgresqlConf(spec, node) });
    files.push({ path: `${node.id}/pg_hba.conf`, content: renderPgHbaConf(spec, node) });
    if (node.role === 'primary') {
      files.push({ path: `${node.id}/entrypoint.sh`, content: renderPrimaryEntrypoint(spec, node), executable: true });
      files.push({ path: `${node.id}/init.sh`, content: renderPrimaryInitScript(spec, node), executable: true });
    } else {
      files.push({ path: `${node.id}/entrypoint.sh`, content: renderReplicaEntrypoint(spec, node), executable: true });
    }
    if (spec.backup) files.push({ path: `${node.id}/pgbackrest/pgbackrest.conf`, content: renderPgbackrestConf(spec, node) });
  }
  if (spec.backup) {
    const node = backedUpNode(spec);
    files.push({ path: `${spec.backup.id}/Dockerfile`, content: renderComposeDockerfile(spec) });
    files.push({ path: `${spec.backup.id}/backup.sh`, content: renderScheduleScript(spec, node), executable: true });
    files.push({ path: `${spec.backup.id}/pgbackrest/pgbackrest.conf`, content: renderPgbackrestConf(spec, node) });
  }
  for (const pool of spec.pgpools) {
    files.push({ path: `${pool.id}/pgpool.conf`, content: renderPgpoolConf(spec, pool) });
    files.push({ path: `${pool.id}/pool_hba.conf`, content: renderPoolHbaConf(spec, pool) });
    files.push({ path: `${pool.id}/entrypoint.sh`, content: renderPgpoolEntrypoint(spec, pool), executable: true });
    if (pool.failover === 'automatic') files.push({ path: `${pool.id}/failover.sh`, content: renderFailoverScript(spec, pool), executable: true });
  }
  for (const proxy of spec.haproxies) {
    files.push({ path: `${proxy.id}/haproxy.cfg`, content: renderHaproxyCfg(spec, proxy) });
  }
  // Last: the compose file labels each service with a hash of the files rendered above.
  const hashed = [...serviceIds(spec), ...(spec.backup ? [spec.backup.id] : [])];
  files.push({ path: 'docker-compose.yml', content: renderComposeYaml(spec, configHashes(hashed, files)) });
  // YAML 1.1 (docker-compose's PyYAML) breaks lines at these too; the model refuses them, this keeps it so.
  if (/[\u0085\u2028\u2029]/.test(files.at(-1)!.content)) throw new Error('docker-compose.yml would hold a YAML line break (U+0085, U+2028 or U+2029) inside a value');
  return files.sort((a, b) => comparePaths(a.path, b.path));
}

export interface Synthesis {
  files: GeneratedFile[];
  /** Warnings found on the way (errors throw instead). */
  warnings: Diagnostic[];
}

/**
 * Validates the cluster on the compose address plan and renders its files. Refuses (throws
 * PgsynthError with every error) while any rule reports an error; warnings do not stop synthesis
 * and are returned. (`synth up` validates the local plan; `validate()` checks both.)
 */
export function synthesize(cluster: Cluster, options: Omit<ResolveOptions, 'target'> = {}): Synthesis {
  const diagnostics = cluster.validate({ ...options, targets: ['compose'] });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new PgsynthError(errors);
  return {
    // Validation passed, so a renderer refusing the spec is an invariant of pgsynth failing.
    files: internal('rendering the files of a validated config', () => renderClusterFiles(cluster.resolve({ ...options, target: 'compose' }))),
    warnings: diagnostics.filter((d) => d.severity === 'warning'),
  };
}

/**
 * The generated files as `{ path: content }`, sorted by path and deterministic (no timestamps,
 * no pgsynth version): for snapshot tests in a consumer's repo, like projen's `Testing.synth`.
 */
export function synthToMemory(cluster: Cluster): Record<string, string> {
  return Object.fromEntries(synthesize(cluster).files.map((f) => [f.path, f.content]));
}
