/**
 * pgsynth: a typed PostgreSQL streaming-replication cluster (primary, replicas, Pgpool-II,
 * HAProxy) synthesized into the files that run it.
 * @packageDocumentation
 */
export { Cluster, SUPPORTED_POSTGRES_VERSIONS, SUPPORTED_PGPOOL_VERSIONS } from './model/cluster.js';
export type { ClusterProps, PostgresVersion, PgpoolVersion } from './model/cluster.js';
export { Primary } from './model/primary.js';
export type { PrimaryProps } from './model/primary.js';
export { Replica } from './model/replica.js';
export type { ReplicaProps } from './model/replica.js';
export { PgPool } from './model/pgpool.js';
export type { PgPoolProps, PgpoolBackend } from './model/pgpool.js';
export { Haproxy } from './model/haproxy.js';
export type { HaproxyProps, HaproxyFrontendProps, HaproxyStatsProps } from './model/haproxy.js';
export type { PostgresNodeProps } from './model/postgres-node.js';
export { Backup } from './model/backup.js';
export type { BackupProps, BackupPosixRepository, BackupS3Repository } from './model/backup.js';
export { secret } from './model/secret.js';
export type { SecretRef } from './model/secret.js';
export type { ResolveOptions } from './model/resolve/index.js';
export type * from './model/spec.js';
export { PgsynthError, formatDiagnostic, hasErrors } from './diagnostic.js';
export type { Diagnostic, Severity, SourceLocation } from './diagnostic.js';
export type { ValidateOptions } from './model/resolve/index.js';
// Installs the rules behind Cluster.validate() (the model cannot import the layer above it).
import './validators/validate.js';
export { RULES } from './validators/registry.js';
export type { Rule, Finding } from './validators/rule.js';
export { synthesize, synthToMemory, renderClusterFiles } from './writer/synthesize.js';
export type { Synthesis } from './writer/synthesize.js';
export type { GeneratedFile } from './render/generated-file.js';
