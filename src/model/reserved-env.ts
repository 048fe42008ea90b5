// Environment variable names a secret may not take. compose passes each secret into the
// containers under its own name, and `synth up` into the processes it starts, so a secret named
// PATH would replace the container's PATH with the password (and compose would read the host's
// PATH as the password).

/** Exact names the shells, the images' entrypoints, libpq, compose or the runtime read. */
const EXACT: Readonly<Record<string, string>> = Object.fromEntries(
  [
    'PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'PWD', 'OLDPWD', 'HOSTNAME', 'TERM', 'LANG', 'LANGUAGE', 'TZ',
    'TMPDIR', 'MAIL', 'ENV', 'BASH_ENV', 'BASHOPTS', 'SHELLOPTS', 'IFS', 'CDPATH', 'GLOBIGNORE', 'PROMPT_COMMAND',
    'PS1', 'PS2', 'PS3', 'PS4', 'SHLVL', 'POSIXLY_CORRECT', 'GOSU_VERSION', 'NO_COLOR',
  ].map((name) => [name, 'the shells and the images\' entrypoints read it'])
    .concat(['PG_MAJOR', 'PG_VERSION', 'PG_SHA256', 'PG_COLOR', 'PG_COLORS', 'PG_OOM_ADJUST_FILE', 'PG_OOM_ADJUST_VALUE']
      .map((name) => [name, 'the postgres image and the PostgreSQL tools read it'])),
);

/**
 * Prefixes owned by a tool, checked in order; the first match explains the refusal. libpq's
 * names are PG and letters without an underscore (PGHOST, PGSSLMODE), so PGSHOP_APP_PASSWORD is
 * free; the pgpool image's PGPOOL_… variables are read by its own entrypoint, which pgsynth
 * replaces, so a cluster named pgpool-lb keeps its default names.
 */
const PREFIXES: ReadonlyArray<[RegExp, string]> = [
  [/^PG[A-Z0-9]*$/, 'libpq and the PostgreSQL tools read PG… variables (PGDATA, PGHOST, PGPASSWORD, PGPASSFILE, …)'],
  [/^POSTGRES_/, "the postgres image's entrypoint reads POSTGRES_… variables (POSTGRES_PASSWORD, POSTGRES_USER, …)"],
  [/^HAPROXY_/, 'HAProxy sets and reads HAPROXY_… variables'],
  [/^COMPOSE_/, 'docker compose reads COMPOSE_… variables (COMPOSE_PROJECT_NAME is in .env)'],
  [/^DOCKER_/, 'the docker client reads DOCKER_… variables'],
  [/^LD_/, 'the dynamic linker reads LD_… variables (LD_PRELOAD, LD_LIBRARY_PATH)'],
  [/^LC_/, 'the C library reads LC_… locale variables'],
  [/^BASH_/, 'bash reads BASH_… variables'],
  [/^NODE_/, 'Node.js (synth up) reads NODE_… variables'],
];

/**
 * Why `name` cannot name a secret, or undefined when it can. A default name (`<CLUSTER>_…_PASSWORD`)
 * is held to the exact names and libpq's only: a cluster named compose-main gets
 * COMPOSE_MAIN_POSTGRES_PASSWORD, which no tool reads, while a name the user picks stays out of
 * every family a tool may add names to.
 */
export function reservedEnvReason(name: string, options: { defaulted?: boolean } = {}): string | undefined {
  if (Object.hasOwn(EXACT, name)) return EXACT[name];
  const families = options.defaulted ? PREFIXES.slice(0, 1) : PREFIXES;
  return families.find(([pattern]) => pattern.test(name))?.[1];
}

/** The naming rule, for messages and docs. */
export const SECRET_NAME_RULE =
  "a secret is an environment variable of its own: upper-case letters, digits and underscores, not a name the shells, the images, libpq, compose or the linker use (PATH, HOME, SHELL, ENV, BASH_ENV, PGDATA and libpq's PG… names, PG_MAJOR, POSTGRES_…, HAPROXY_…, COMPOSE_…, DOCKER_…, LD_…, LC_…, BASH_…, NODE_…; a default name is held to the exact names and libpq's only), and one variable per password";
