import { reservedEnvReason, SECRET_NAME_RULE } from '../../model/reserved-env.js';
import { defineRule, type Finding } from '../rule.js';

const IDENTITY_WORDS: Record<string, string> = { role: 'the role', pcp: 'the PCP admin', stats: 'the HAProxy stats user' };

function describeIdentity(identity: string): string {
  const [kind = '', name = ''] = identity.split(':');
  return `${IDENTITY_WORDS[kind] ?? kind} '${name}'`;
}

export const secretNamesOwn = defineRule({
  code: 'PGS077',
  severity: 'error',
  title: 'Each secret is an environment variable of its own: not one the containers, images, compose or shells use, and one per password',
  why: `compose passes every secret into the containers under its own name (and \`synth up\` into the processes it starts). A secret named PATH makes compose read the host's PATH as the password and replaces the container's PATH with it; PGDATA, PGPASSWORD or POSTGRES_PASSWORD change what the postgres image and libpq do; COMPOSE_… and DOCKER_… steer compose itself; LD_PRELOAD or BASH_ENV run code. One variable for two different passwords (the superuser and the application role) makes them one password, so a leak of either is a leak of both. The rule: ${SECRET_NAME_RULE}.`,
  fix: "name the secret after the cluster and its purpose, e.g. secret('SHOP_APP_PASSWORD')",
  example: "new Primary(cluster, 'pg-primary', { hostPort: 5611, ownerPassword: secret('PATH') })",
  check(spec) {
    const findings: Finding[] = [];
    for (const secret of spec.secrets) {
      const first = secret.uses[0];
      if (!first) continue;
      const refused = secret.uses.flatMap((use) => {
        const reason = reservedEnvReason(secret.env, { defaulted: use.defaulted });
        return reason ? [{ use, reason }] : [];
      });
      if (refused.length > 0) {
        for (const { use, reason } of refused) {
          findings.push({
            node: use.node,
            field: use.field,
            message: `secret '${secret.env}'${use.defaulted ? ' (the default name from the cluster name)' : ''} is not a name of its own: ${reason}, and compose passes the secret into the containers under that name`,
            fix: use.defaulted
              ? `set ${use.field} to a secret of its own, e.g. secret('APP_${secret.env}'), or choose another cluster name`
              : `rename it, e.g. secret('${spec.id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_${use.field.replace(/[^A-Za-z]/g, '_').toUpperCase()}')`,
          });
        }
        continue;
      }
      const identities = [...new Set(secret.uses.map((use) => use.identity))];
      if (identities.length < 2) continue;
      const other = secret.uses.find((use) => use.identity !== first.identity)!;
      findings.push({
        node: other.node,
        field: other.field,
        message: `secret '${secret.env}' is the password of ${identities.map(describeIdentity).join(' and of ')}: one variable for two passwords makes them the same password`,
        fix: `give ${describeIdentity(other.identity)} a secret of its own, e.g. secret('${secret.env}_${other.identity.split(':')[1]!.toUpperCase().replace(/[^A-Z0-9]/g, '_')}')`,
      });
    }
    return findings;
  },
});
