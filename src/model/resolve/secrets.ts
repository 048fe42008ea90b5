import type { SecretRef } from '../secret.js';
import type { ClusterSpec, RoleSpec } from '../spec.js';

/** A role as the spec carries it: its name and the variable holding its password, never the password. */
export function role(name: string, password: SecretRef): RoleSpec {
  return { name, passwordEnv: password.env };
}

/**
 * Every password variable the cluster needs, with what it is for (the `.env` template and
 * `synth up` explain each one). Several roles may share one variable: the first role
 * registered describes it, so resolvers register in a fixed order (superuser, replication,
 * application owners, then Pgpool's roles, then HAProxy's) to keep the descriptions stable.
 */
export class SecretRegistry {
  private readonly purposes = new Map<string, string>();

  add(r: RoleSpec, purpose: string): void {
    if (!this.purposes.has(r.passwordEnv)) this.purposes.set(r.passwordEnv, purpose);
  }

  /** Sorted by variable name, so the output does not depend on registration order. */
  list(): ClusterSpec['secrets'] {
    return [...this.purposes].map(([env, purpose]) => ({ env, purpose })).sort((a, b) => a.env.localeCompare(b.env));
  }
}
