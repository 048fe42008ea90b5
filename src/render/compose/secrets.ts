import type { ClusterSpec } from '../../model/spec.js';

// How a password reaches a container: a `${VAR:?…}` reference compose fills from .env, or (with
// `secretFiles`) a compose secret mounted as a file and `VAR_FILE` naming it, which the
// generated scripts read (load_secrets in container-shell.ts).

/** The folder beside docker-compose.yml holding one file per password, with `secretFiles`. */
export const SECRETS_DIR = 'secrets';

/** Where compose mounts a secret in every container that lists it. */
export function secretMountPath(env: string): string {
  return `/run/secrets/${env}`;
}

/** `${VAR:?…}`: compose stops with this message instead of starting with an empty password. */
export function secretReference(env: string): string {
  return `\${${env}:?set ${env} in .env (see .env.example)}`;
}

/** The environment and the compose `secrets:` list that give a service these passwords. */
export function serviceSecrets(spec: ClusterSpec, envs: readonly string[]): { environment: Record<string, string>; secrets?: string[] } {
  const unique = [...new Set(envs)];
  if (!spec.secretFiles) return { environment: Object.fromEntries(unique.map((env) => [env, secretReference(env)])) };
  return { environment: Object.fromEntries(unique.map((env) => [`${env}_FILE`, secretMountPath(env)])), secrets: unique };
}

/** The top-level `secrets:` of the compose file: every password, as a file in SECRETS_DIR. */
export function composeSecrets(spec: ClusterSpec): Record<string, { file: string }> | undefined {
  if (!spec.secretFiles) return undefined;
  return Object.fromEntries(spec.secrets.map(({ env }) => [env, { file: `./${SECRETS_DIR}/${env}` }]));
}

/**
 * A shell expression for a password inside a compose healthcheck or command: `$$` because
 * compose would interpolate a single `$` itself.
 */
export function composeShellSecret(spec: ClusterSpec, env: string): string {
  return spec.secretFiles ? `$$(< ${secretMountPath(env)})` : `$$${env}`;
}
