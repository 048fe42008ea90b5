import type { ClusterSpec, PostgresNodeSpec } from '../model/spec.js';
import { pgsynthWrittenSettings } from '../render/postgres/postgresql-conf.js';
import { validateSettings, type ControlledSetting, type WrittenByPgsynth } from '../settings/validate.js';
import type { Diagnostic } from '../diagnostic.js';

/**
 * The per-parameter checks of every node's `settings` against the catalog of the cluster's
 * major (codes PGS301–PGS311). Only the major in use is loaded.
 */
export function checkNodeSettings(spec: ClusterSpec): Diagnostic[] {
  return spec.postgres.flatMap((node) =>
    Object.keys(node.settings).length === 0
      ? []
      : validateSettings(spec.postgresVersion, node.settings, writtenFor(spec, node)).map((issue) => ({
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

/**
 * What the postgresql.conf renderer itself writes for this node: asked of the renderer, so a
 * parameter it starts writing is refused in `settings` at once instead of being written twice.
 */
function writtenFor(spec: ClusterSpec, node: PostgresNodeSpec): WrittenByPgsynth {
  let written: Map<string, ControlledSetting>;
  try {
    written = new Map(
      pgsynthWrittenSettings(spec, node).map((entry) => [
        entry.key,
        { option: null, reason: `pgsynth writes it itself${entry.comment ? ` (${entry.comment})` : ''}` },
      ]),
    );
  } catch {
    // A spec the renderer cannot handle (a replica of another cluster's primary) is refused by
    // the cluster rules; the static list of controlled parameters still applies.
    written = new Map();
  }
  return (name) => written.get(name);
}
