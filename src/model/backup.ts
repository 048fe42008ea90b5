import * as z from 'zod';
import type { Cluster } from './cluster.js';
import { dnsLabel, secretRef } from './fields.js';
import { ConstructNode, INVALID_PROPS } from './node.js';
import { hasBrand, setBrand } from '../brand.js';
import type { SecretRef } from './secret.js';
import { PgsynthError } from '../diagnostic.js';

// Five crontab fields (minute hour day-of-month month day-of-week), digits and * , - / only:
// the compose backup service's scheduler reads them as written.
const cronField = String.raw`[0-9*,/-]+`;
const cron = z
  .string()
  .regex(new RegExp(`^${cronField}( ${cronField}){4}$`), { message: "must be a crontab schedule of 5 fields, e.g. '0 1 * * 0' (01:00 on Sundays)" });

/** A directory pgBackRest writes into; absolute, no characters an INI file or a shell could misread. */
const repoDir = z
  .string()
  .regex(/^\/[A-Za-z0-9_.\/-]*$/, { message: "must be an absolute path of letters, digits, '_', '.', '-' and '/'" });

const posixRepository = z.strictObject({
  type: z.literal('posix'),
  path: repoDir.default('/var/lib/pgbackrest'),
  volume: dnsLabel.optional(),
});

/** Bucket, endpoint (host[:port]) and region names: nothing an INI line could misread. */
const s3Name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.:_-]*$/, { message: "must be letters, digits, '.', ':', '_' and '-'" });

const s3Repository = z.strictObject({
  type: z.literal('s3'),
  bucket: s3Name,
  endpoint: s3Name,
  region: s3Name,
  path: repoDir.default('/pgbackrest'),
  uriStyle: z.enum(['host', 'path']).default('host'),
  verifyTls: z.boolean().default(true),
  accessKeyId: secretRef,
  secretAccessKey: secretRef,
});

export const backupPropsSchema = z.strictObject({
  stanza: dnsLabel.optional(),
  repository: z.discriminatedUnion('type', [posixRepository, s3Repository]).default({ type: 'posix', path: '/var/lib/pgbackrest' }),
  retention: z
    .strictObject({
      // 0 and negatives pass the schema so rule PGS192 can explain them.
      full: z.number().int().default(2),
      diff: z.number().int().optional(),
      archive: z.number().int().optional(),
    })
    .default({ full: 2 }),
  schedule: z
    .strictObject({ full: cron.nullable().default('0 1 * * 0'), diff: cron.nullable().default('0 1 * * 1-6'), incr: cron.nullable().default(null) })
    .default({ full: '0 1 * * 0', diff: '0 1 * * 1-6', incr: null }),
  compression: z
    .strictObject({ type: z.enum(['lz4', 'zst', 'gz', 'bz2', 'none']).default('lz4'), level: z.number().int().min(0).max(22).optional() })
    .default({ type: 'lz4' }),
  encryptionKey: secretRef.optional(),
  archiveTimeout: z.number().int().min(0).default(60),
  processMax: z.number().int().min(1).max(64).default(2),
});

export interface BackupPosixRepository {
  /** A directory (pgBackRest's `repo1-type=posix`). */
  readonly type: 'posix';
  /**
   * The repository directory inside the containers (compose). Under `synth up` the repository
   * is always `.pgsynth/local/<cluster>/backup/repo`.
   * @default '/var/lib/pgbackrest'
   */
  readonly path?: string;
  /** Compose: the named volume mounted at `path` in every PostgreSQL container. @default '<cluster>-pgbackrest' */
  readonly volume?: string;
}

/** S3-compatible object storage (AWS S3, MinIO, Ceph …): pgBackRest's `repo1-type=s3`. */
export interface BackupS3Repository {
  /** S3-compatible object storage (pgBackRest's `repo1-type=s3`). */
  readonly type: 's3';
  /** The bucket, which must exist. */
  readonly bucket: string;
  /** e.g. 's3.eu-central-1.amazonaws.com' or 'minio.internal:9000' */
  readonly endpoint: string;
  /** The bucket's region, e.g. 'eu-central-1' (MinIO accepts any, e.g. 'us-east-1'). */
  readonly region: string;
  /** Prefix inside the bucket. @default '/pgbackrest' */
  readonly path?: string;
  /** 'path' for MinIO and most self-hosted stores. @default 'host' */
  readonly uriStyle?: 'host' | 'path';
  /**
   * Check the endpoint's TLS certificate; turn off only for a self-signed test endpoint.
   * @default true
   */
  readonly verifyTls?: boolean;
  /** The access key id, from this environment variable. */
  readonly accessKeyId: SecretRef;
  /** The secret access key, from this environment variable. */
  readonly secretAccessKey: SecretRef;
}

export interface BackupProps {
  /** pgBackRest stanza name. @default the cluster name */
  readonly stanza?: string;
  /** Where backups and archived WAL go. @default { type: 'posix', path: '/var/lib/pgbackrest' } */
  readonly repository?: BackupPosixRepository | BackupS3Repository;
  /**
   * How many backups to keep. Expiring a full backup expires its diff/incr backups and the WAL
   * only they needed. `archive` (full backups whose WAL is kept for PITR) defaults to `full`.
   * @default { full: 2 }
   */
  readonly retention?: { readonly full?: number; readonly diff?: number; readonly archive?: number };
  /**
   * When the compose backup service takes each kind of backup (crontab syntax, the service's
   * local time), `null` for never. `synth up` runs no scheduler: use `synth backup`.
   * @default { full: '0 1 * * 0', diff: '0 1 * * 1-6', incr: null }
   */
  readonly schedule?: { readonly full?: string | null; readonly diff?: string | null; readonly incr?: string | null };
  /**
   * Compression of backups and archived WAL: lz4 is fast, zst smaller, gz the most portable.
   * @default { type: 'lz4' }
   */
  readonly compression?: { readonly type?: 'lz4' | 'zst' | 'gz' | 'bz2' | 'none'; readonly level?: number };
  /**
   * Encrypts the repository (aes-256-cbc). The passphrase cannot change after the first
   * `stanza-create`, and without it no backup can be restored: keep a copy outside the cluster.
   */
  readonly encryptionKey?: SecretRef;
  /**
   * PostgreSQL's `archive_timeout` in seconds: a quiet primary still archives a segment this
   * often, so at most this much committed work is missing from the archive. 0 turns it off.
   * @default 60
   */
  readonly archiveTimeout?: number;
  /** Parallel compress/transfer processes of backup and restore. @default 2 */
  readonly processMax?: number;
}

export type ResolvedBackupProps = z.output<typeof backupPropsSchema>;

/**
 * Backups and continuous WAL archiving with pgBackRest, for point-in-time recovery. Every
 * PostgreSQL node archives (`archive_mode = on`), so a promoted standby keeps archiving on its
 * new timeline; only the node that is primary pushes WAL.
 *
 * @example
 * new Backup(cluster, 'backup', { retention: { full: 2 }, encryptionKey: secret('SHOP_BACKUP_KEY') });
 */
export class Backup extends ConstructNode {
  readonly kind = 'backup' as const;
  readonly cluster: Cluster;
  readonly props: ResolvedBackupProps;

  /** Whether `x` is a Backup, made by this copy of pgsynth or by another one a config loaded. */
  static isBackup(x: unknown): x is Backup {
    return hasBrand(x, 'Backup');
  }

  constructor(cluster: Cluster, id: string, props: BackupProps = {}) {
    super(cluster.path, id);
    setBrand(this, 'Backup');
    this.cluster = cluster;
    this.props = this.parseProps(backupPropsSchema, props);
    const other = cluster.nodes.find((n) => Backup.isBackup(n));
    if (other) {
      throw new PgsynthError([
        {
          code: INVALID_PROPS,
          severity: 'error',
          path: this.path,
          field: 'id',
          message: `the cluster already has a Backup (${other.path}); one repository and one stanza serve every node`,
          fix: `remove this Backup or merge its options into ${other.path}`,
          ...(this.source ? { source: this.source } : {}),
        },
      ]);
    }
    cluster.addChild(this);
  }
}
