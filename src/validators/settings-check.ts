import type { ClusterSpec } from '../model/spec.js';
import { validateSettings } from '../settings/validate.js';
import type { Diagnostic } from '../diagnostic.js';

/**
 * The per-parameter checks of every node's `settings` against the catalog of the cluster's
 * major (codes PGS301–PGS311). Only the major in use is loaded.
 */
export function checkNodeSettings(spec: ClusterSpec): Diagnostic[] {
  return spec.postgres.flatMap((node) =>
    Object.keys(node.settings).length === 0
      ? []
      : validateSettings(spec.postgresVersion, node.settings).map((issue) => ({
          code: issue.code,
          severity: 'error' as const,
          path: node.path,
          field: `settings.${issue.name}`,
          message: issue.message,
          fix: issue.fix,
          ...(node.source ? { source: node.source } : {}),
        })),
  );
}
