import { defineRule } from '../rule.js';
import { byteLength } from '../helpers/text-checks.js';
import { SOCKET_PATH_MAX_BYTES, socketPathsTooLong } from '../../model/socket-paths.js';

export const socketPathsFit = defineRule({
  code: 'PGS171',
  severity: 'error',
  title: 'Unix socket paths under synth up fit sun_path (at most 107 bytes)',
  why: 'Under synth up PostgreSQL and Pgpool put their sockets in <localDir>/run/.s.PGSQL.<port>, HAProxy its runtime API in <localDir>/run/<id>.sock. A Unix socket path is limited to 107 bytes: PostgreSQL refuses to start with "Unix-domain socket path "…" is too long (maximum 107 bytes)", and Pgpool and HAProxy cannot create theirs.',
  fix: 'use a shorter project path or localDir',
  example: "cluster.validate({ localDir: '/home/someone/projects/a/very/long/path/…/.pgsynth/local/shop' })",
  targets: ['local'],
  check(spec) {
    const tooLong = socketPathsTooLong(spec);
    if (tooLong.length === 0) return [];
    const longest = tooLong.reduce((a, b) => (byteLength(b) > byteLength(a) ? b : a));
    const bytes = byteLength(longest);
    const over = bytes - SOCKET_PATH_MAX_BYTES;
    return [
      {
        node: spec,
        field: 'localDir',
        message: `socket path '${longest}' is ${bytes} bytes; sun_path holds ${SOCKET_PATH_MAX_BYTES} (${tooLong.length} socket(s) too long)`,
        fix: `use a shorter project path or localDir: at least ${over} byte(s) shorter than '${spec.localDir}'`,
      },
    ];
  },
});
