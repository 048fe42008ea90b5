import { defineRule } from '../rule.js';
import { forbiddenCharacter } from '../helpers/text-checks.js';

const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
/** backend_hostname is copied with strlcpy(…, MAX_DB_HOST_NAMELEN − 1): Pgpool keeps 252 characters. */
const MAX_LENGTH = 252;

/** Why a backend_hostname is unusable, or null when it is a host name or IPv4 address. */
export function hostProblem(host: string): string | null {
  if (host === '') return "is empty: Pgpool would use PostgreSQL's default Unix socket in /tmp";
  if (IPV4.test(host)) return null;
  if (/^[\d.]+$/.test(host)) return 'is not a valid IPv4 address';
  if (host.length > MAX_LENGTH) return `is ${host.length} characters; Pgpool keeps ${MAX_LENGTH}`;
  const bad = host.split('.').find((label) => !LABEL.test(label));
  return bad === undefined ? null : `is not a host name: label '${bad}' is not 1–63 letters, digits and inner hyphens`;
}

export const pgpoolBackendHostValid = defineRule({
  code: 'PGS072',
  severity: 'error',
  title: 'An explicit Pgpool backend host is a valid host name or IPv4 address',
  why: 'backend_hostname is used as given: an empty value silently means a Unix socket in /tmp, a name that is no host name never resolves (Pgpool marks the backend down at its first health check), and Pgpool truncates names beyond 252 characters.',
  fix: 'use the node itself in backends, or a service name / IPv4 address',
  example: "new PgPool(cluster, 'pgpool', { hostPort: 9999, backends: [primary, { host: 'pg replica', port: 5432 }] })",
  check(spec) {
    return spec.pgpools.flatMap((p) =>
      p.backends.flatMap((b) => {
        // Characters that cannot be written at all are PGS070's.
        if (b.nodeId !== null || forbiddenCharacter(b.host)) return [];
        const problem = hostProblem(b.host);
        return problem ? [{ node: p, field: `${b.field}.host`, message: `backend ${b.index} host '${b.host}' ${problem}` }] : [];
      }),
    );
  },
});
