import { join } from 'node:path';
import type { PostgresNodeSpec } from '../model/spec.js';
import { writeOwnedFile } from '../process/files.js';
import { runTool } from '../process/run-as.js';
import { initScriptVariables, renderBootstrapSql, renderPrimaryInitScript } from '../render/postgres/index.js';
import type { LocalRuntime } from './runtime.js';

/**
 * The roles, slots and database of `configPrimary`'s cluster, on every `up`, by the compose
 * target's init.sh run on the node that is primary now (`on`, after a failover another one, with
 * that node's slots): the SQL is idempotent, and running it again gives the roles the passwords
 * the environment (or secrets.env) holds now. The passwords reach it in its environment only.
 */
export async function bootstrapPrimary(ctx: LocalRuntime, configPrimary: PostgresNodeSpec, on: PostgresNodeSpec = configPrimary): Promise<void> {
  const slots = on === configPrimary ? undefined : on.member?.slotsWhenPrimary;
  const script = join(on.paths.configDir, 'init.sh');
  writeOwnedFile(script, renderPrimaryInitScript(ctx.spec, configPrimary, slots ? { slots } : {}), ctx.runAs, 0o755);
  const env: Record<string, string> = {
    PGHOST: on.paths.socketDir,
    PGPORT: String(on.port.listenPort),
    PGDATA: on.paths.dataDir,
    PATH: `${ctx.toolchain.postgres.binDir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
  };
  for (const variable of initScriptVariables(ctx.spec, configPrimary)) env[variable] = ctx.password(variable);
  const database = renderBootstrapSql(ctx.spec, configPrimary).database.name;
  await ctx.progress.step(`bootstrap ${on.id} (roles, slots, database ${database})`, () =>
    runTool('bash', [script], { runAs: ctx.runAs, env, timeoutMs: 60_000 }),
  );
}
