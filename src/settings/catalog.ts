// Loads the committed pg_settings catalog of one PostgreSQL major (see scripts/gen-settings-catalog.ts).
import { readFileSync } from 'node:fs';
import { CATALOG_COLUMNS, type CatalogFile, type CatalogRow, type StringChecks } from './catalog-format.js';
import { pathToFileURL } from 'node:url';
import { packageFile } from '../package-root.js';

export const SUPPORTED_MAJORS = [13, 14, 15, 16, 17] as const;
export type PostgresMajor = (typeof SUPPORTED_MAJORS)[number];

export type SettingType = 'bool' | 'integer' | 'real' | 'string' | 'enum';
export type SettingContext =
  | 'internal' | 'postmaster' | 'sighup' | 'superuser-backend' | 'backend' | 'superuser' | 'user';

export interface SettingSpec {
  name: string;
  type: SettingType;
  /** pg_settings unit: "8kB", "kB", "MB", "B", "ms", "s", "min", or null. */
  unit: string | null;
  /** Numeric bounds in the base unit (null for bool, string and enum). */
  min: number | null;
  max: number | null;
  /** The bounds as the server printed them ("1.79769e+308"), for messages. */
  minText: string | null;
  maxText: string | null;
  /** Visible enum values; hidden aliases the server also accepts are not listed. */
  enumValues: readonly string[] | null;
  bootValue: string | null;
  context: SettingContext;
  description: string;
}

export interface SettingsCatalog {
  major: PostgresMajor;
  /** Version of the server the catalog was read from, e.g. "17.10". */
  version: string;
  /** Keyed by the name pg_settings shows (mostly lower case; "DateStyle", "IntervalStyle", "TimeZone"). */
  settings: ReadonlyMap<string, SettingSpec>;
  /** What the server's checks of string parameters accept, probed from the real server; null when not probed. */
  strings: StringChecks | null;
}

const lowerCaseIndexes = new WeakMap<SettingsCatalog, Map<string, SettingSpec>>();

/** The server matches parameter names case-insensitively ("timezone" is "TimeZone"), and so does this. */
export function findSetting(catalog: SettingsCatalog, name: string): SettingSpec | undefined {
  let index = lowerCaseIndexes.get(catalog);
  if (!index) {
    index = new Map([...catalog.settings.values()].map((spec) => [spec.name.toLowerCase(), spec]));
    lowerCaseIndexes.set(catalog, index);
  }
  return index.get(name.toLowerCase());
}

function toSpec(row: CatalogRow): SettingSpec {
  const [name, vartype, unit, minVal, maxVal, enumvals, bootVal, context, shortDesc] = row;
  return {
    name,
    type: vartype as SettingType,
    unit,
    min: minVal === null ? null : Number(minVal),
    max: maxVal === null ? null : Number(maxVal),
    minText: minVal,
    maxText: maxVal,
    enumValues: enumvals,
    bootValue: bootVal,
    context: context as SettingContext,
    description: shortDesc,
  };
}

export function catalogUrl(major: PostgresMajor): URL {
  return pathToFileURL(packageFile(`catalog/postgres-${major}.json`));
}

const loaded = new Map<PostgresMajor, SettingsCatalog>();

/** The catalog of one major, read on first use only (each file is about 50 kB). */
export function loadCatalog(major: PostgresMajor): SettingsCatalog {
  const cached = loaded.get(major);
  if (cached) return cached;
  if (!SUPPORTED_MAJORS.includes(major)) {
    throw new Error(`PostgreSQL ${String(major)} is not supported; supported majors: ${SUPPORTED_MAJORS.join(', ')}`);
  }
  const file = JSON.parse(readFileSync(catalogUrl(major), 'utf8')) as CatalogFile;
  if (file.major !== major || file.columns.join() !== CATALOG_COLUMNS.join()) {
    throw new Error(`${catalogUrl(major).pathname} is not a PostgreSQL ${major} settings catalog in the expected format`);
  }
  const catalog: SettingsCatalog = {
    major,
    version: file.version,
    settings: new Map(file.settings.map((row) => [row[0], toSpec(row)])),
    strings: file.strings ?? null,
  };
  loaded.set(major, catalog);
  return catalog;
}
