import type { ClusterSpec } from './spec.js';

/** sockaddr_un.sun_path is 108 bytes on Linux, including the terminating NUL. */
export const SOCKET_PATH_MAX_BYTES = 107;

/** Every Unix socket synth up creates: PostgreSQL's and Pgpool's client sockets, Pgpool's PCP socket and HAProxy's runtime API. */
export function localSocketPaths(spec: ClusterSpec): string[] {
  return [
    ...spec.postgres.map((n) => `${n.paths.socketDir}/.s.PGSQL.${n.port.listenPort}`),
    ...spec.pgpools.flatMap((p) => [`${p.paths.socketDir}/.s.PGSQL.${p.port.listenPort}`, `${p.paths.pcpSocketDir}/.s.PGSQL.${p.pcp.port}`]),
    ...spec.haproxies.map((h) => h.paths.adminSocket),
  ];
}

/** The sockets whose path is longer than sun_path holds (PostgreSQL refuses to start on one). */
export function socketPathsTooLong(spec: ClusterSpec): string[] {
  return localSocketPaths(spec).filter((s) => Buffer.byteLength(s, 'utf8') > SOCKET_PATH_MAX_BYTES);
}
