import { LocalRunError } from '../../process/errors.js';
import type { LocalRuntime } from '../runtime.js';
import { contextForSpec, currentPrimary, runPgbackrest } from './context.js';

/**
 * After the nodes are up: the stanza (idempotent: an existing one that matches this cluster is
 * kept), then `check`, which proves archive_command reaches the repository. Until the stanza
 * exists archive-push fails and WAL waits in pg_wal, so this runs on every `up`.
 */
export async function ensureStanza(runtime: LocalRuntime, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (!runtime.spec.backup) return;
  const ctx = contextForSpec(runtime.spec, env);
  const primary = await currentPrimary(ctx);
  await runtime.progress.step(`pgBackRest stanza ${ctx.backup.stanza} on ${primary.id}`, async () => {
    await runPgbackrest(ctx, primary, ['stanza-create'], 120_000).catch((error: unknown) => {
      if (error instanceof LocalRunError && /\[028\]/.test(error.logTail)) {
        throw new LocalRunError('REPO_OTHER_SYSTEM', `the repository ${ctx.backup.repository.type === 'posix' ? ctx.backup.repository.path : ''} holds backups of another database system than ${primary.path} (a data directory made anew by initdb?)`, {
          logTail: error.logTail,
          fix: 'to bring the old data back, stop the cluster and restore from the repository (docs/backup.md, "the primary is lost"); to start over, move the repository folder aside',
        });
      }
      throw error;
    });
    await runPgbackrest(ctx, primary, ['check'], 120_000);
  });
}
