// Brands tell pgsynth's own classes apart by a registry symbol (Symbol.for) instead of by class
// identity: a config loaded through jiti may import a second copy of pgsynth (its own
// node_modules, a helper package), whose instances `instanceof` would not recognise (cdk8s'
// Chart.isChart does the same).

/** The classes that carry a brand. */
export type BrandName = 'Cluster' | 'Primary' | 'Replica' | 'PgPool' | 'Haproxy' | 'Backup' | 'PgsynthError' | 'PgsynthInternalError';

function symbolOf(name: BrandName): symbol {
  return Symbol.for(`pgsynth.${name}`);
}

/** @internal Marks `instance` as a `name`; not enumerable, so spreads and JSON never show it. */
export function setBrand(instance: object, name: BrandName): void {
  Object.defineProperty(instance, symbolOf(name), { value: true });
}

/** @internal Whether `value` was made by the `name` class of any copy of pgsynth. */
export function hasBrand(value: unknown, name: BrandName): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[symbolOf(name)] === true;
}
