export { pgpoolEntrypointVariables, pgpoolRuntimeDir, renderPgpoolEntrypoint } from './entrypoint.js';
export { renderPgpoolConf } from './pgpool-conf.js';
export { renderPoolHbaConf } from './pool-hba-conf.js';
export { failoverCommand, failoverPassfile, plannedPromotionFile, renderFailoverScript } from './failover-script.js';
