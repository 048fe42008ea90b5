// The PostgreSQL node files: postgresql.conf and pg_hba.conf of every node, the primary's
// bootstrap (as SQL and as init.sh), the primary's and the replicas' entrypoints.
export { pgsynthWrittenSettings, renderPostgresqlConf } from './postgresql-conf.js';
export { renderPgHbaConf } from './pg-hba-conf.js';
export { QUIET_SESSION_SQL, renderBootstrapSql, type BootstrapSql } from './bootstrap-sql.js';
export { renderPrimaryEntrypoint } from './primary-entrypoint.js';
export { initScriptVariables, renderPrimaryInitScript } from './primary-init-script.js';
export { renderReplicaEntrypoint } from './replica-entrypoint.js';
