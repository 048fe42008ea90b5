import type { PostgresNodeSpec } from '../../model/spec.js';
import { LocalRunError } from '../../process/errors.js';
import { runPgbackrest, type BackupContext } from './context.js';

// `pgbackrest info --output=json` (its stable format; the text one may change), reduced to what
// the commands show.

interface InfoBackupJson {
  label: string;
  type: 'full' | 'diff' | 'incr';
  prior: string | null;
  timestamp: { start: number; stop: number };
  archive: { start: string | null; stop: string | null };
  info: { size: number; delta: number; repository: { size: number; delta: number } };
  error?: boolean;
}

interface InfoStanzaJson {
  name: string;
  status: { code: number; message: string };
  archive: Array<{ id: string; min: string | null; max: string | null }>;
  backup: InfoBackupJson[];
}

export interface BackupEntry {
  label: string;
  type: 'full' | 'diff' | 'incr';
  /** The backup it depends on (diff/incr), null for a full one. */
  prior: string | null;
  start: Date;
  stop: Date;
  /** Size of the database it copied, bytes. */
  databaseSize: number;
  /** What it added to the repository (compressed, deduplicated), bytes. */
  repositorySize: number;
  archiveStart: string | null;
  archiveStop: string | null;
}

export interface RepositoryInfo {
  status: { code: number; message: string };
  /** Oldest first. */
  backups: BackupEntry[];
  /** Archived WAL per archive id (e.g. `15-1`): the oldest and newest segment. */
  archive: Array<{ id: string; min: string | null; max: string | null }>;
}

export async function repositoryInfo(ctx: BackupContext, node: PostgresNodeSpec = ctx.spec.postgres[0]!): Promise<RepositoryInfo> {
  const { stdout } = await runPgbackrest(ctx, node, ['--output=json', 'info'], 60_000);
  let parsed: InfoStanzaJson[];
  try {
    parsed = JSON.parse(stdout) as InfoStanzaJson[];
  } catch {
    throw new LocalRunError('PGBACKREST_INFO', 'pgbackrest info printed no JSON', { logTail: stdout.slice(0, 2000), fix: `Check ${ctx.backup.paths.logDir} and the repository ${ctx.backup.repository.path}.` });
  }
  const stanza = parsed.find((s) => s.name === ctx.backup.stanza);
  if (!stanza) return { status: { code: 1, message: 'missing stanza path' }, backups: [], archive: [] };
  return {
    status: stanza.status,
    archive: stanza.archive.map((a) => ({ id: a.id, min: a.min, max: a.max })),
    backups: stanza.backup.map((b) => ({
      label: b.label,
      type: b.type,
      prior: b.prior,
      start: new Date(b.timestamp.start * 1000),
      stop: new Date(b.timestamp.stop * 1000),
      databaseSize: b.info.size,
      repositorySize: b.info.repository.delta,
      archiveStart: b.archive.start,
      archiveStop: b.archive.stop,
    })),
  };
}
