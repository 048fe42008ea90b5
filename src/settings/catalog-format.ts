// The on-disk shape of catalog/postgres-<major>.json, shared by the generator script and the loader.

/** pg_settings columns kept, in row order (category and extra_desc are dropped to keep files small). */
export const CATALOG_COLUMNS = [
  'name', 'vartype', 'unit', 'min_val', 'max_val', 'enumvals', 'boot_val', 'context', 'short_desc',
] as const;

/** One pg_settings row: the values of CATALOG_COLUMNS in order, text as the server printed it. */
export type CatalogRow = [
  name: string,
  vartype: string,
  unit: string | null,
  minVal: string | null,
  maxVal: string | null,
  enumvals: string[] | null,
  bootVal: string | null,
  context: string,
  shortDesc: string,
];

export interface CatalogFile {
  major: number;
  /** server_version of the binary the rows were read from, e.g. "17.10". */
  version: string;
  columns: string[];
  settings: CatalogRow[];
  /** Absent in catalogs generated before the string checks were probed. */
  strings?: StringChecks;
}

/**
 * What the server's check hooks of string parameters accept, probed with `postgres -C` (see
 * scripts/probe-string-settings.ts). Names are lower case.
 */
export interface StringChecks {
  /** Parameters whose check refuses ''. */
  emptyRejected: string[];
  /** Parameters read as a comma-separated identifier list ("invalid list syntax"). */
  listSyntax: string[];
  /** Token lists: the tokens each accepts (lower case). */
  tokens: Record<string, string[]>;
  /** client_encoding names and aliases, normalized as the server does (lower case, letters and digits). */
  encodings: string[];
  /** timezone_abbreviations files. */
  timezoneAbbreviations: string[];
  /** TimeZone and log_timezone names (pg_timezone_names), matched case-insensitively. */
  timeZones: string[];
}
