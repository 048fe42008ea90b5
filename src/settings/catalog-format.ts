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
}
