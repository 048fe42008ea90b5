import { resolve } from 'node:path';
import type { Cluster, PgpoolVersion } from '../model/cluster.js';
import type { ClusterSpec } from '../model/spec.js';
import { PgsynthError } from '../validators/diagnostic.js';

export interface LocalSpecOptions {
  /** Root of data, sockets and logs. @default `<cwd>/.pgsynth/local/<cluster>` */
  localDir?: string;
}

/** The cluster on the local address plan, with an absolute localDir (processes run from `/`). */
export function resolveLocalSpec(cluster: Cluster, options: LocalSpecOptions = {}): ClusterSpec {
  const localDir = options.localDir === undefined ? undefined : resolve(options.localDir);
  return cluster.resolve({ target: 'local', ...(localDir ? { localDir } : {}) });
}

/** Refuses a config with errors on the local plan, like `synth` does; returns its warnings. */
export function validateForLocal(cluster: Cluster, spec: ClusterSpec): ReturnType<Cluster['validate']> {
  const diagnostics = cluster.validate({ targets: ['local'], localDir: spec.localDir });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new PgsynthError(errors);
  return diagnostics;
}

/**
 * pgpool.conf must use the key names of the Pgpool-II that runs it (4.3 `socket_dir`, 4.4+
 * `unix_socket_directories`), whatever version the config targets for its containers.
 */
export function withPgpoolVersion(spec: ClusterSpec, version: PgpoolVersion | undefined): ClusterSpec {
  if (!version) return spec;
  return { ...spec, pgpoolVersion: version, pgpools: spec.pgpools.map((pool) => ({ ...pool, version })) };
}
