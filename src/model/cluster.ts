import * as z from 'zod';
import { SUPPORTED_MAJORS, type PostgresMajor } from '../settings/catalog.js';
import { ConstructNode } from './node.js';
import { hasBrand, setBrand } from '../brand.js';
import { configText, dnsLabel, ipv4, ipv4Cidr, secretRef, sqlName } from './fields.js';
import { envPrefix, secret, type SecretRef } from './secret.js';
import { resolveCluster, type ResolveOptions, type ValidateOptions } from './resolve/index.js';
import type { ClusterSpec } from './spec.js';
import type { Diagnostic } from '../diagnostic.js';

/** The majors with a parameter catalog (catalog/postgres-<major>.json). */
export const SUPPORTED_POSTGRES_VERSIONS = SUPPORTED_MAJORS;
export type PostgresVersion = PostgresMajor;
export const SUPPORTED_PGPOOL_VERSIONS = ['4.3', '4.4', '4.5', '4.6'] as const;
export type PgpoolVersion = (typeof SUPPORTED_PGPOOL_VERSIONS)[number];

// Compose network names allow underscores and dots, unlike service names.
const composeName = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/, {
  message: 'must be letters, digits, underscores, dots and hyphens, starting with a letter or digit',
});
const roleSchema = z.strictObject({ name: sqlName, password: secretRef.optional() });

export const clusterPropsSchema = z.strictObject({
  name: dnsLabel,
  postgresVersion: z.union(SUPPORTED_POSTGRES_VERSIONS.map((v) => z.literal(v))).default(17),
  pgpoolVersion: z.enum(SUPPORTED_PGPOOL_VERSIONS).default('4.5'),
  bindAddress: ipv4.default('127.0.0.1'),
  secretFiles: z.boolean().default(false),
  network: z.strictObject({ name: composeName.optional(), subnet: ipv4Cidr.optional() }).default({}),
  superuser: roleSchema.partial().default({}),
  replicationUser: roleSchema.partial().default({}),
  images: z
    .strictObject({ postgres: configText.optional(), pgpool: configText.optional(), haproxy: configText.optional() })
    .default({}),
});

/** The root of a config: one PostgreSQL streaming-replication cluster. */
export interface ClusterProps<V extends PostgresVersion = PostgresVersion> {
  /** Cluster name: the root of every construct path, the compose project name (COMPOSE_PROJECT_NAME in .env) and the prefix of default secret names. A DNS label. */
  readonly name: string;
  /**
   * PostgreSQL major version of every node (physical replication needs one major). It narrows
   * the type of every node's `settings` to that major's parameters.
   * @default 17
   */
  readonly postgresVersion?: V;
  /**
   * Pgpool-II version the generated pgpool.conf targets (4.3 names `socket_dir`, 4.4+ `unix_socket_directories`).
   * @default '4.5'
   */
  readonly pgpoolVersion?: PgpoolVersion;
  /**
   * Host address every published port binds to. Anything other than 127.0.0.1 exposes the
   * services to the network and draws a warning.
   * @default '127.0.0.1'
   */
  readonly bindAddress?: string;
  /**
   * Compose passwords as files instead of environment variables: each container gets only the
   * compose `secrets:` it needs, mounted at /run/secrets/<VAR> from `secrets/<VAR>` beside the
   * compose file, and `<VAR>_FILE` pointing there, so no password shows in `docker inspect`.
   * @default false (passwords from .env)
   */
  readonly secretFiles?: boolean;
  /**
   * Compose network. pg_hba.conf and pool_hba.conf admit exactly its subnet. Without one, a /24
   * in 172.20.0.0–172.31.255.0 is derived from the cluster name: set `subnet` when it collides
   * with a network on the Docker host ("Pool overlaps with other one on this address space").
   * @default { name: '<cluster>-net', subnet: derived from the cluster name }
   */
  readonly network?: { readonly name?: string; readonly subnet?: string };
  /**
   * The superuser (used only over the local socket and by bootstrap scripts).
   * @default { name: 'postgres', password: secret('<CLUSTER>_POSTGRES_PASSWORD') }
   */
  readonly superuser?: { readonly name?: string; readonly password?: SecretRef };
  /**
   * The role replicas stream with (REPLICATION, LOGIN, no superuser).
   * @default { name: 'replicator', password: secret('<CLUSTER>_REPLICATION_PASSWORD') }
   */
  readonly replicationUser?: { readonly name?: string; readonly password?: SecretRef };
  /**
   * Container images. Defaults pin the major versions of the cluster; any image meeting the contract in docs/running.md works.
   * @default { postgres: 'postgres:<postgresVersion>-bookworm', pgpool: 'pgpool/pgpool:<published release of pgpoolVersion, e.g. 4.4.3>', haproxy: 'haproxy:2.8' }
   */
  readonly images?: { readonly postgres?: string; readonly pgpool?: string; readonly haproxy?: string };
}

export type ResolvedClusterProps = z.output<typeof clusterPropsSchema>;

/**
 * The rules live in the layer above the model (src/validators), which imports the model; the
 * model cannot import them back. src/validators/validate.ts installs itself here when loaded,
 * which every entry point (pgsynth, pgsynth/testing, the CLI) does.
 */
type ClusterValidator = (cluster: Cluster, options: ValidateOptions) => Diagnostic[];
let clusterValidator: ClusterValidator | undefined;

/** @internal Called once by src/validators/validate.ts. */
export function installClusterValidator(validator: ClusterValidator): void {
  clusterValidator = validator;
}

/**
 * A PostgreSQL streaming-replication cluster: the scope of every Primary, Replica, PgPool and
 * Haproxy, and the object a `cluster.config.ts` exports by default.
 *
 * @example
 * const cluster = new Cluster({ name: 'shop', postgresVersion: 17 });
 */
export class Cluster<V extends PostgresVersion = PostgresVersion> extends ConstructNode {
  readonly props: ResolvedClusterProps;
  private readonly children: ConstructNode[] = [];

  /** Whether `x` is a Cluster, made by this copy of pgsynth or by another one a config loaded. */
  static isCluster(x: unknown): x is Cluster {
    return hasBrand(x, 'Cluster');
  }

  constructor(props: ClusterProps<V>) {
    const name = typeof props?.name === 'string' ? props.name : 'cluster';
    super(undefined, name);
    setBrand(this, 'Cluster');
    this.props = this.parseProps(clusterPropsSchema, props);
  }

  /** Every construct added to this cluster, in creation order. */
  get nodes(): readonly ConstructNode[] {
    return this.children;
  }

  /** @internal Called by the child constructors (a second copy of pgsynth's too). */
  addChild(node: ConstructNode): void {
    this.children.push(node);
  }

  /**
   * The resolved cluster for one address plan: plain data with every default filled and every
   * derived value computed. Renderers read only this.
   */
  resolve(options: ResolveOptions = {}): ClusterSpec {
    return resolveCluster(this, options);
  }

  /**
   * Every diagnostic (errors and warnings) of every cross-field rule, on both address plans
   * unless `targets` narrows them. Synthesis refuses while any error remains.
   */
  validate(options: ValidateOptions = {}): Diagnostic[] {
    if (!clusterValidator) throw new Error('pgsynth internal error: the validators are not loaded (import Cluster from pgsynth)');
    return clusterValidator(this, options);
  }

  /** The default secret for a role of this cluster, e.g. `SHOP_REPLICATION_PASSWORD`. */
  defaultSecret(purpose: string): SecretRef {
    return secret(`${envPrefix(this.props.name)}_${purpose}`);
  }
}
