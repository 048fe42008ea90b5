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
    await runPgbackrest(ctx, primary, ['stanza-create'], 120_000);
    await runPgbackrest(ctx, primary, ['check'], 120_000);
  });
}
