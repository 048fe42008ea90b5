import type { SecretRef } from '../secret.js';
import type { RoleSpec, SecretSpec, SecretUse } from '../spec.js';

/** A role as the spec carries it: its name and the variable holding its password, never the password. */
export function role(name: string, password: SecretRef): RoleSpec {
  return { name, passwordEnv: password.env };
}

/**
 * Every password variable the cluster needs, with what it is for (the `.env` template and
 * `synth up` explain each one) and every place that names it (PGS077 refuses one variable for
 * two passwords). The first use registered describes a variable, so resolvers register in a fixed
 * order (superuser, replication, application owners, then Pgpool's roles, then HAProxy's) to
 * keep the descriptions stable.
 */
export class SecretRegistry {
  private readonly secrets = new Map<string, SecretSpec>();

  add(r: RoleSpec, purpose: string, use: SecretUse): void {
    const known = this.secrets.get(r.passwordEnv);
    if (known) known.uses.push(use);
    else this.secrets.set(r.passwordEnv, { env: r.passwordEnv, purpose, uses: [use] });
  }

  /** Sorted by variable name, so the output does not depend on registration order. */
  list(): SecretSpec[] {
    return [...this.secrets.values()].sort((a, b) => a.env.localeCompare(b.env));
  }
}
