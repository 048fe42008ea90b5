import { resolve as resolvePath } from 'node:path';
import type { Cluster } from '../cluster.js';
import { createContext, nodeRef } from './context.js';
import { resolveBackup } from './backup.js';
import { resolveHaproxies } from './haproxy.js';
import { resolvePgpools } from './pgpool.js';
import { resolvePostgres } from './postgres.js';
import type { ClusterSpec, Target } from '../spec.js';

export { quoteStandbyName } from './standby-names.js';

export interface ResolveOptions {
  /** Address plan. @default 'compose' */
  target?: Target;
  /** Local target: root of data, sockets and logs. @default `<cwd>/.pgsynth/local/<cluster>` */
  localDir?: string;
}

export interface ValidateOptions extends Omit<ResolveOptions, 'target'> {
  /** Address plans to check. @default ['compose', 'local'] */
  targets?: Target[];
}

/**
 * Resolves a cluster into plain data for one address plan: every default filled, every derived
 * value (slot names, application names, synchronous_standby_names, Pgpool backends, addresses,
 * pg_hba entries) computed. Never throws for rule violations: rules report those.
 */
export function resolveCluster(cluster: Cluster, options: ResolveOptions = {}): ClusterSpec {
  const props = cluster.props;
  const target = options.target ?? 'compose';
  const localDir = options.localDir ?? resolvePath('.pgsynth', 'local', props.name);
  const ctx = createContext(cluster, target, localDir);
  // In this order: HAProxy reads the resolved Pgpools, and the order in which Pgpool and HAProxy
  // register their secrets decides which role describes a variable they share.
  const postgres = resolvePostgres(ctx);
  const pgpools = resolvePgpools(ctx);
  const haproxies = resolveHaproxies(ctx, pgpools);
  const backup = resolveBackup(ctx);
  return {
    ...nodeRef(cluster),
    target,
    postgresVersion: props.postgresVersion,
    pgpoolVersion: props.pgpoolVersion,
    bindAddress: props.bindAddress,
    secretFiles: props.secretFiles,
    network: { name: props.network.name ?? `${props.name}-net`, subnet: target === 'compose' ? ctx.plan.clientNet : null },
    roles: ctx.roles,
    postgres,
    pgpools,
    haproxies,
    backup,
    localDir,
    // Last: every resolver has registered its roles by now.
    secrets: ctx.secrets.list(),
  };
}
