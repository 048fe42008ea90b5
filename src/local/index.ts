/** The local runtime of `synth up` / `synth down`: real binaries on this host. */
export * from './errors.js';
export * from './binaries.js';
export * from './run-as.js';
export * from './files.js';
export * from './proc-stat.js';
export * from './processes.js';
export * from './wait.js';
export * from './ports.js';
export * from './log-tail.js';
export * from './conninfo.js';
export * from './sql.js';
export * from './postgres.js';
export * from './pgpool.js';
export * from './haproxy.js';
