export { HAPROXY_STATS_URI, haproxyBackendNames, renderHaproxyCfg } from './haproxy-cfg.js';
export { roleCheckRules, ROLE_QUERY, type PostgresRole } from './role-check.js';
