const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

/**
 * A password kept out of every generated file: files refer to the environment variable `env`,
 * which compose reads from `.env` and `synth up` from the process environment (or a generated
 * 0600 file when unset).
 */
export interface SecretRef {
  readonly kind: 'secret';
  readonly env: string;
}

/**
 * Names a secret by the environment variable that holds it. Naming rule (PGS077): compose passes
 * each secret into the containers under its own name, so the name must be one of its own, not
 * one the shells, the images, libpq, compose or the linker use (PATH, HOME, SHELL, ENV, BASH_ENV,
 * PGDATA and every PG…/PG_… name, POSTGRES_…, HAPROXY_…, COMPOSE_…, DOCKER_…, LD_…,
 * LC_…, BASH_…, NODE_…), and one variable holds one password: two roles never share one.
 * Prefix it with the cluster's name, as the defaults do (a default name is held to the exact
 * names only: COMPOSE_MAIN_POSTGRES_PASSWORD for a cluster named compose-main is fine).
 * @example secret('SHOP_APP_PASSWORD')
 */
export function secret(env: string): SecretRef {
  if (!ENV_NAME.test(env)) {
    throw new TypeError(
      `secret(${JSON.stringify(env)}): an environment variable name is upper-case letters, digits and underscores, not starting with a digit (e.g. 'SHOP_APP_PASSWORD')`,
    );
  }
  return Object.freeze({ kind: 'secret', env });
}

export function isSecretRef(value: unknown): value is SecretRef {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as SecretRef).kind === 'secret' &&
    typeof (value as SecretRef).env === 'string' &&
    ENV_NAME.test((value as SecretRef).env)
  );
}

/** `shop-eu` → `SHOP_EU`: the prefix of a cluster's default secret names. */
export function envPrefix(clusterName: string): string {
  return clusterName.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}
