import { defineRule } from '../rule.js';
import { forbiddenCharacter } from '../helpers/text-checks.js';

export const localDirSafe = defineRule({
  code: 'PGS173',
  severity: 'error',
  title: 'The synth up directory can be written into config values',
  why: "Under synth up, localDir is written into single-quoted postgresql.conf and pgpool.conf values (data_directory, unix_socket_directories) and into shell commands. unix_socket_directories is a comma-separated list in both servers, so a comma splits the directory in two; a quote, backslash or newline breaks the value.",
  fix: 'run from (or pass a localDir in) a directory whose path has no comma, double quote, single quote, backslash or line break',
  example: "cluster.validate({ localDir: '/srv/db,old/.pgsynth/local/shop' })",
  targets: ['local'],
  check(spec) {
    const bad = forbiddenCharacter(spec.localDir) ?? (spec.localDir.includes(',') ? 'a comma' : spec.localDir.includes('"') ? 'a double quote' : null);
    if (!bad) return [];
    return [{ node: spec, field: 'localDir', message: `localDir '${spec.localDir.replace(/[\n\r\u0000]/g, '?')}' contains ${bad}` }];
  },
});
