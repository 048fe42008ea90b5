// Every code pgsynth prints that is not a cross-field rule (those are src/validators/registry.ts):
// the builders' props errors, the settings checks, the file writer and the local runtime.
// `synth explain` and docs/rules.md read this list; a test finds every code in src/ in one of
// the two. Plain data, so any layer may name a code without importing the one that raises it.

export interface CodeDoc {
  code: string;
  title: string;
  why: string;
  fix: string;
  /** Exit code of the CLI when this error ends a command. */
  exitCode: 1 | 2 | 3;
  /**
   * The symbolic code the local runtime's errors still carry in `error.code` (LocalSetupError,
   * LocalRunError); the CLI prints the PGS code instead.
   */
  symbol?: string;
}

export interface CodeGroup {
  range: string;
  title: string;
  intro: string;
  codes: readonly CodeDoc[];
}

const settings = (code: string, title: string, why: string, fix: string): CodeDoc => ({ code, title, why, fix, exitCode: 1 });
const local = (code: string, symbol: string, title: string, why: string, fix: string): CodeDoc => ({ code, symbol, title, why, fix, exitCode: 3 });

export const CODE_GROUPS: readonly CodeGroup[] = [
  {
    range: 'PGS001–003',
    title: 'Props errors and acknowledgments',
    intro: 'PGS001 is raised by the builders when they are constructed, before any rule runs; PGS002 and PGS003 check the warnings a construct acknowledges.',
    codes: [
      {
        code: 'PGS001',
        title: 'invalid props',
        why:
          "Every builder (`Cluster`, `Primary`, `Replica`, `PgPool`, `Haproxy`) checks its props when it is constructed and throws a `PgsynthError` listing every problem at once, each as a PGS001 diagnostic: a wrong type, a value out of range, a name that is not a DNS label or SQL identifier, a password given as a literal instead of `secret('ENV_VAR')`, or an unknown key (usually a misspelling). The field names the prop (e.g. `healthCheck.period`).",
        fix: 'correct the prop as the message says; docs/configuration.md lists every prop with its type and default',
        exitCode: 1,
      },
      {
        code: 'PGS002',
        title: 'an acknowledgment names an error or no rule',
        why:
          "`construct.acknowledge(code, reason)` accepts a *warning* on that construct. An error stays an error whatever the reason: what it reports breaks the cluster (a server that does not start, a write that is lost). A code that is no rule's acknowledges nothing, usually a typo.",
        fix: 'fix what the error reports and remove the acknowledgment, or name a warning rule by its code (synth explain <code>)',
        exitCode: 1,
      },
      {
        code: 'PGS003',
        title: 'an acknowledgment no warning needs',
        why:
          'The construct has no warning of the acknowledged code (any more): the acknowledgment would silently hide the next such warning, which may have another cause than the one its reason gives.',
        fix: 'remove the acknowledgment',
        exitCode: 1,
      },
    ],
  },
  {
    range: 'PGS301–311',
    title: 'Settings checks',
    intro:
      "Each entry of a node's `settings` is checked against the parameter catalog of the cluster's PostgreSQL major (taken from the real servers), the way the server itself would read postgresql.conf. The field is `settings.<name>`.",
    codes: [
      settings('PGS301', 'unknown parameter', 'The server refuses to start on a parameter it does not know (a misspelling, or an extension parameter without a dot).', 'use the suggested name, or prefix an extension parameter with its extension (my_ext.name)'),
      settings('PGS302', 'wrong type', 'A value the parameter cannot hold: text for a number, a number for a boolean, a unit on a unitless parameter.', 'give a value of the parameter’s type (the message says which)'),
      settings('PGS303', 'not one of the allowed values', 'An enum parameter accepts only its listed values (case-insensitive); anything else stops the server.', 'use one of the values the message lists'),
      settings('PGS304', 'out of range', 'The value, converted to the parameter’s base unit, is below its minimum or above its maximum on this major.', 'use a value inside the range the message gives'),
      settings('PGS305', 'bad unit', 'Memory parameters take B, kB, MB, GB, TB and time parameters us, ms, s, min, h, d, case-sensitively; a unit of the wrong family or spelling stops the server.', 'use one of the units the message lists'),
      settings('PGS306', 'not in this major', 'The parameter was removed from, or not yet added to, the cluster’s PostgreSQL major.', 'remove it, use the replacement the message names, or change postgresVersion'),
      settings('PGS307', 'set by pgsynth', 'pgsynth writes this parameter itself from the topology (ports, replication, paths); a second value would contradict it.', 'use the typed option the message names, or remove the setting'),
      settings('PGS308', 'control character', 'A line feed, carriage return or NUL cannot be written into postgresql.conf: it would end the line and inject another.', 'remove the control character from the value'),
      settings('PGS309', 'read-only parameter', 'The parameter reports how the server was built or initialized; postgresql.conf cannot change it.', 'remove it'),
      settings('PGS310', 'not supported by this build', 'The value needs a feature the official builds lack (e.g. bonjour), so the server refuses it.', 'remove it, or use a value the build supports'),
      settings('PGS311', 'settings that conflict', 'Some values are valid alone but refused together by the server’s check hooks.', 'change one of the settings the message names'),
    ],
  },
  {
    range: 'PGS900–905',
    title: 'File writer',
    intro: 'Raised by `synth` while writing the output directory; nothing is written when one is raised.',
    codes: [
      { code: 'PGS900', title: 'a generated file was edited by hand', why: 'The manifest records the hash of every file pgsynth wrote; a file whose content changed since was edited by someone, and overwriting it would lose that work.', fix: 'move the change into cluster.config.ts, then run synth --force to overwrite', exitCode: 1 },
      { code: 'PGS901', title: 'a file pgsynth did not write is in the way', why: 'A file or folder not in the manifest stands where a generated file goes; pgsynth never overwrites what it did not generate.', fix: 'move the file away, or run synth --force to overwrite it', exitCode: 1 },
      { code: 'PGS902', title: 'a path escapes the output directory', why: 'A symbolic link (or a path with ..) would make a write land outside the output directory, also one swapped in while synth runs.', fix: 'remove the link, or choose another --out directory', exitCode: 1 },
      { code: 'PGS903', title: 'two generated files share a path', why: 'Two constructs render to the same file, so one would silently replace the other.', fix: 'give the constructs distinct ids', exitCode: 1 },
      { code: 'PGS904', title: 'another synth writes the same directory', why: 'Two runs writing one output directory at once would interleave their files and manifests; a lock file lets one run at a time.', fix: 'wait for the other run; remove the lock file the message names if no synth runs', exitCode: 1 },
      { code: 'PGS905', title: '--out cannot be written', why: '`--out` names a file, `/`, the project itself or a folder above it: synth writes and deletes its own files there.', fix: 'give --out a directory of its own inside the project, e.g. --out cluster (the default)', exitCode: 2 },
    ],
  },
  {
    range: 'PGS999',
    title: 'Internal errors',
    intro: 'An invariant of pgsynth itself failed.',
    codes: [
      { code: 'PGS999', title: 'a pgsynth bug', why: 'Something pgsynth checks about its own work did not hold: never a mistake in the config.', fix: 'report it with your cluster.config.ts (PGSYNTH_DEBUG=1 prints the stack)', exitCode: 2 },
    ],
  },
  {
    range: 'PGS920–962',
    title: 'Local runtime (`synth up`, `down`, `status`, `startLocalCluster`)',
    intro: "Errors of running the cluster with the host's binaries. The thrown error's `code` still holds the name in brackets.",
    codes: [
      local('PGS920', 'PG_NOT_FOUND', 'PostgreSQL of the cluster’s major not found', 'synth up searches --pg-bin, PATH, pg_config --bindir and /usr/lib/postgresql/<major>/bin for the cluster’s postgresVersion.', 'install postgresql-<major> (apt.postgresql.org for majors Debian lacks), pass --pg-bin, or set postgresVersion to an installed major'),
      local('PGS921', 'PG_WRONG_MAJOR', 'only another PostgreSQL major is installed', 'A data directory and the generated postgresql.conf belong to one major; another server cannot run them.', 'install the cluster’s major, or set postgresVersion to the installed one'),
      local('PGS922', 'PG_TOOL_MISSING', 'a PostgreSQL tool is missing beside postgres', 'initdb and pg_basebackup must come from the same installation as postgres.', 'install the full server package of that major'),
      local('PGS923', 'PG_CLIENT_MISSING', 'the PostgreSQL client library could not be loaded', 'The local runtime bootstraps roles and checks replication through node-postgres (pg), a dependency of pgsynth.', 'reinstall pgsynth (npm install)'),
      local('PGS924', 'PGPOOL_NOT_FOUND', 'Pgpool-II not found', 'The cluster has a PgPool and synth up runs the host’s pgpool.', 'apt-get install pgpool2, or remove the PgPool from cluster.config.ts'),
      local('PGS925', 'PGPOOL_BAD_VERSION', 'pgpool did not report its version', 'pgpool.conf is written for one Pgpool-II series, read from `pgpool --version`.', 'install Debian’s pgpool2, or put a working pgpool first on PATH'),
      local('PGS926', 'PGPOOL_UNSUPPORTED', 'this Pgpool-II series is not supported', 'pgsynth writes pgpool.conf for the series in SUPPORTED_PGPOOL_VERSIONS only; parameters were renamed between series.', 'install a supported series, or remove the PgPool'),
      local('PGS927', 'HAPROXY_NOT_FOUND', 'HAProxy not found', 'The cluster has a Haproxy and synth up runs the host’s haproxy.', 'apt-get install haproxy, or remove the Haproxy from cluster.config.ts'),
      local('PGS928', 'HAPROXY_BAD_VERSION', 'haproxy did not report its version', 'The binary found as haproxy did not print an HAProxy version.', 'install Debian’s haproxy, or put a working haproxy first on PATH'),
      local('PGS929', 'NO_OS_USER', 'running as root without a postgres OS user', 'PostgreSQL and Pgpool-II refuse to run as root; as root, synth up runs them as the OS user postgres.', 'apt-get install postgresql (it creates the user), or useradd --system postgres'),
      local('PGS930', 'PORT_IN_USE', 'a port of the cluster is in use', 'Every service listens on its hostPort on 127.0.0.1; a port already taken would make the service fail after others started.', 'stop what listens there (synth down if it is an earlier synth up), or choose other ports'),
      local('PGS931', 'LOCAL_DIR_UNREACHABLE', 'the postgres user cannot reach the local directory', 'As root the servers run as postgres, which must traverse every folder above .pgsynth/local/<cluster>.', 'run from a project outside that folder, or chmod o+x it'),
      local('PGS932', 'SOCKET_PATH_TOO_LONG', 'a Unix socket path is too long', 'A Unix socket path may have at most 107 bytes; the servers cannot listen on a longer one (rule PGS171 checks the same before synthesis).', 'run from a shorter project path, or pass a shorter localDir'),
      local('PGS933', 'SECRET_UNUSABLE', 'a password variable holds a line break or NUL', 'pool_passwd, pcp.conf and pgpass hold one password per line.', 'set the variable to a single-line password, or unset it to let synth up generate one'),
      local('PGS934', 'NOT_A_LOCAL_CLUSTER', 'down --purge refused a folder synth up did not make', 'Nothing the user owns is deleted: --purge deletes only a folder holding synth up’s marker file.', 'check the path, and delete the folder yourself if it is disposable'),
      local('PGS935', 'SERVER_SPAWN_FAILED', 'a server could not be started', 'The operating system refused to start postgres, pgpool or haproxy.', 'read the error and the log it names'),
      local('PGS936', 'TOOL_SPAWN_FAILED', 'a tool could not be started', 'The operating system refused to start initdb, pg_basebackup or psql.', 'read the error; check the binary and its permissions'),
      local('PGS937', 'TOOL_FAILED', 'a tool exited with an error', 'initdb, pg_basebackup, psql or a check exited non-zero; the end of its output is shown.', 'read the output shown with the error'),
      local('PGS938', 'WAIT_TIMEOUT', 'a service did not become ready in time', 'synth up waits for each service to accept connections (and replicas to stream) before the next step.', 'read the log tail shown; a slow disk or a busy host may need another try'),
      local('PGS939', 'WAIT_ABORTED', 'a service exited while synth up waited for it', 'The process ended before it was ready, so waiting longer cannot help.', 'read the log tail shown'),
      local('PGS941', 'NOT_STARTED', 'the local cluster was never started here', 'promote, switchover, rejoin and the backup commands act on a cluster synth up started in this directory.', 'start it with synth up'),
      local('PGS942', 'NOT_A_MEMBER', 'not a PostgreSQL node of the cluster', 'The commands that change the primary take a node id of the config.', 'name a node from synth status'),
      local('PGS943', 'NOT_A_RUNNING_STANDBY', 'the node is not a running standby', 'Only a running standby can be promoted or switched to.', 'start it with synth up, or pick a node synth status shows as a standby'),
      local('PGS944', 'NO_SWITCHOVER', 'nothing to switch over', 'A switchover needs a running primary and a different node to promote.', 'use synth promote when no primary runs'),
      local('PGS945', 'PROMOTE_FAILED', 'the promotion did not finish', 'pg_promote waited 60 s without the standby leaving recovery.', 'read the node’s log'),
      local('PGS946', 'PRIMARY_NOT_RUNNING', 'the primary of this node is not running', 'After a failover a node only starts as a standby of the primary that runs; it cannot follow a stopped one.', 'start the primary first (synth up starts both in order), or promote a standby if the primary is lost'),
      local('PGS947', 'PRIMARY_LOST', 'no node can start as the primary', 'The initial primary’s data directory is gone while standbys hold the cluster’s data; making a new primary there would throw their data away.', 'promote the standby with the newest data (synth promote), then synth up'),
      local('PGS948', 'REWIND_FAILED', 'pg_rewind could not bring a node back', 'A former primary, or a standby that diverged, rejoins as a standby through pg_rewind; when that fails the node cannot follow the new timeline as it is.', 'synth rejoin <node> --reclone moves the data directory aside (nothing is deleted) and clones the primary again'),
      local('PGS949', 'NO_PRIMARY', 'no node answers as the primary', 'Backups run on the node that is primary now.', 'start the cluster (synth up)'),
      local('PGS950', 'TWO_PRIMARIES', 'two nodes answer as primary', 'A backup from either could miss the other’s writes.', 'stop one of them (synth status shows both), then synth rejoin it'),
      local('PGS951', 'PGBACKREST_NOT_FOUND', 'pgBackRest not found', 'The cluster has a Backup construct and synth runs the host’s pgbackrest.', 'apt-get install pgbackrest'),
      local('PGS952', 'PGBACKREST_TOO_OLD', 'pgBackRest does not support this PostgreSQL major', 'Each pgBackRest release supports the majors released before it.', 'install a newer pgbackrest, or use a major it supports'),
      local('PGS953', 'PGBACKREST_INFO', 'pgbackrest info printed no JSON', 'The backup list comes from pgbackrest info --output=json.', 'read the pgBackRest log the message names'),
      { ...local('PGS954', 'NO_BACKUP', 'the config has no Backup construct', 'The backup commands act on the Backup construct of the config.', "add new Backup(cluster, 'backup', {}) to cluster.config.ts"), exitCode: 2 },
      local('PGS955', 'BACKUP_MISSING', 'a backup succeeded but is not listed', 'pgbackrest backup exited 0 but info lists no backup.', 'read the pgBackRest log the message names'),
      local('PGS956', 'REPO_OTHER_SYSTEM', 'the repository holds another database system', 'A repository belongs to one cluster (system identifier); mixing two would make restores wrong.', 'point the Backup at an empty repository, or move the old one away'),
      local('PGS957', 'RESTORE_TARGET', 'the restore target cannot be read', '--to takes latest, a backup label or a time with its zone.', "give a time with its zone, e.g. --to '2026-11-30 14:00:00+00'"),
      local('PGS958', 'RESTORE_DIR_NOT_EMPTY', 'the restore directory is not empty', 'A restore writes only into a new or empty directory, so nothing of yours is overwritten.', 'give --into a new directory'),
      local('PGS959', 'RESTORE_OVER_NODE', 'a restore over a node needs --force and its exact data directory', 'Replacing a node’s data directory destroys what is there.', 'use --into <the node’s data directory> --force with the node stopped'),
      local('PGS960', 'RESTORE_NODE_RUNNING', 'the node to restore over is running', 'A running server’s data directory cannot be replaced.', 'stop it first (synth down)'),
      local('PGS961', 'RESTORE_NOT_CONFIRMED', 'the restore over a node was not confirmed', 'Replacing a node’s data needs a yes on a terminal after the list of what is replaced.', 'run it on a terminal and answer y'),
      local('PGS962', 'RECOVERY_SLOW', 'a restored node still replays WAL after an hour', 'The restore waits for recovery to reach its target before it returns.', 'read the node’s log'),
      local('PGS963', 'STOP_PRIMARY', 'synth stop refused the primary of the moment', 'Stopping the primary makes Pgpool fail the cluster over; a switchover changes the primary without losing a write.', 'switch over first (synth switchover --to <standby>), or stop the whole cluster with synth down'),
      local('PGS964', 'NO_SUCH_SERVICE', 'no service of that name in the cluster', 'synth stop takes a service id of the config: a node, a Pgpool or an HAProxy.', 'name a service from synth status'),
      local('PGS965', 'STANDBY_DIVERGED', 'a standby cannot follow the primary’s timeline', 'It replayed WAL past the point where the primary’s timeline forked off (a standby that had received less was promoted), so it never streams as it is; it is stopped rather than serve reads the primary does not have.', 'synth rejoin <node> rewinds it onto the primary (pg_rewind); --reclone clones it again instead'),
      local('PGS940', 'STOP_FAILED', 'a process survived SIGKILL', 'A process in uninterruptible sleep (state D) cannot be killed until the kernel call it waits on returns.', 'look at it with ps; it usually waits on a disk or NFS'),
    ],
  },
];

export const CODES: readonly CodeDoc[] = CODE_GROUPS.flatMap((group) => group.codes);

/** The documentation of a PGS code, or of a local-runtime error's symbolic code. */
export function findCode(code: string): CodeDoc | undefined {
  const wanted = code.toUpperCase();
  return CODES.find((doc) => doc.code === wanted || doc.symbol === wanted);
}
