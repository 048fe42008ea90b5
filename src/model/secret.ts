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
 * Names a secret by the environment variable that holds it.
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
