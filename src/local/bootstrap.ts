import type { PostgresNodeSpec } from '../model/spec.js';
import { withClient } from '../process/sql.js';
import { QUIET_SESSION_SQL, renderBootstrapSql } from '../render/postgres/index.js';
import { sqlIdentifier } from '../render/postgres/sql-text.js';
import type { LocalRuntime } from './runtime.js';

/**
 * The roles, slots and database of `configPrimary`'s cluster, on every `up`, run on the node that
 * is primary now (`on`, after a failover another one): the SQL is idempotent, and running it
 * again gives the roles the passwords the environment (or secrets.env) holds now. Passwords go
 * in as bind parameters of set_config, in a session that logs no statement or parameter.
 */
export async function bootstrapPrimary(ctx: LocalRuntime, configPrimary: PostgresNodeSpec, on: PostgresNodeSpec = configPrimary): Promise<void> {
  const slots = on.member?.slotsWhenPrimary;
  const bootstrap = renderBootstrapSql(ctx.spec, configPrimary, slots ? { slots } : {});
  await ctx.progress.step(`bootstrap ${on.id} (roles, slots, database ${bootstrap.database.name})`, () =>
    withClient(ctx.superuserConn(on, { queryTimeoutMs: 30_000 }), async (client) => {
      // Bind parameters are logged too (log_statement, log_min_duration_statement): not these.
      await client.query(QUIET_SESSION_SQL.join('\n'));
      for (const { setting, env } of bootstrap.passwordSettings) {
        await client.query('SELECT pg_catalog.set_config($1, $2, false)', [setting, ctx.password(env)]);
      }
      await client.query(bootstrap.sql);
      const { name, owner } = bootstrap.database;
      const found = await client.query('SELECT 1 FROM pg_catalog.pg_database WHERE datname = $1', [name]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE ${sqlIdentifier(name)} OWNER ${sqlIdentifier(owner)}`);
    }),
  );
}
