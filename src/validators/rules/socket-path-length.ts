import { defineRule } from '../rule.js';
import { byteLength } from '../helpers/text-checks.js';

/** sockaddr_un.sun_path is 108 bytes on Linux, including the terminating NUL. */
const SUN_PATH = 108;

export const socketPathsFit = defineRule({
  code: 'PGS171',
  severity: 'error',
  title: 'Unix socket paths under synth up fit sun_path (at most 107 bytes)',
  why: 'Under synth up PostgreSQL and Pgpool put their sockets in <localDir>/run/.s.PGSQL.<port>. A Unix socket path is limited to 107 bytes: PostgreSQL refuses to start with "Unix-domain socket path "…" is too long (maximum 107 bytes)", and Pgpool cannot create its socket.',
  fix: 'use a shorter project path or localDir',
  example: "cluster.validate({ localDir: '/home/someone/projects/a/very/long/path/…/.pgsynth/local/shop' })",
  targets: ['local'],
  check(spec) {
    const sockets = [
      ...spec.postgres.map((n) => `${n.paths.socketDir}/.s.PGSQL.${n.port.listenPort}`),
      ...spec.pgpools.flatMap((p) => [`${p.paths.socketDir}/.s.PGSQL.${p.port.listenPort}`, `${p.paths.pcpSocketDir}/.s.PGSQL.${p.pcp.port}`]),
    ];
    const tooLong = sockets.filter((s) => byteLength(s) >= SUN_PATH);
    if (tooLong.length === 0) return [];
    const longest = tooLong.reduce((a, b) => (byteLength(b) > byteLength(a) ? b : a));
    const bytes = byteLength(longest);
    const over = bytes - (SUN_PATH - 1);
    return [
      {
        node: spec,
        field: 'localDir',
        message: `socket path '${longest}' is ${bytes} bytes; sun_path holds ${SUN_PATH - 1} (${tooLong.length} socket(s) too long)`,
        fix: `use a shorter project path or localDir: at least ${over} byte(s) shorter than '${spec.localDir}'`,
      },
    ];
  },
});
