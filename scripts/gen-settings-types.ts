// Regenerates src/settings/types.generated.ts from catalog/postgres-<major>.json.
// Run by hand after gen-settings-catalog: node --import jiti/register scripts/gen-settings-types.ts
// ts-morph is only used here, never by runtime code.
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { IndentationText, Project, QuoteKind, type OptionalKind, type PropertySignatureStructure } from 'ts-morph';
import { enumValuesFor } from '../src/settings/build-options.js';
import { loadCatalog, SUPPORTED_MAJORS, type PostgresMajor, type SettingSpec } from '../src/settings/catalog.js';
import { CONTROLLED_SETTINGS } from '../src/settings/controlled.js';
import { baseUnitOf, formatWithUnit } from '../src/settings/units.js';

export const OUTPUT = fileURLToPath(new URL('../src/settings/types.generated.ts', import.meta.url));

const CONTEXT_NOTES: Record<string, string> = {
  postmaster: 'Changing it needs a server restart.',
  sighup: 'Applied on reload.',
  'superuser-backend': 'Applied on reload, to new sessions.',
  backend: 'Applied on reload, to new sessions.',
  superuser: 'Applied on reload; superusers can also set it per session.',
  user: 'Applied on reload; any user can also set it per session.',
};

function isUserSettable(spec: SettingSpec): boolean {
  return spec.context !== 'internal' && !Object.hasOwn(CONTROLLED_SETTINGS, spec.name.toLowerCase());
}

function typeText(major: PostgresMajor, spec: SettingSpec): string {
  switch (spec.type) {
    case 'bool': return "boolean | 'on' | 'off'";
    case 'string': return 'string';
    case 'enum': {
      const values = enumValuesFor(major, spec);
      const literals = values.map((value) => `'${value}'`);
      // validateSettings writes booleans as on/off, which these enums list.
      if (values.includes('on') && values.includes('off')) literals.push('boolean');
      return literals.join(' | ');
    }
    case 'integer':
    case 'real': {
      const base = baseUnitOf(spec.unit);
      if (base === null) return 'number';
      return base.family === 'memory' ? 'MemorySize' : 'Duration';
    }
  }
}

function describeValue(major: PostgresMajor, spec: SettingSpec): string {
  const boot = spec.bootValue === null || spec.bootValue === '' ? 'empty' : spec.bootValue;
  switch (spec.type) {
    case 'bool': return `Boolean; default ${boot}.`;
    case 'string': return `String; default ${boot === 'empty' ? boot : `'${boot}'`}.`;
    case 'enum': return `One of ${enumValuesFor(major, spec).join(', ')}; default ${boot}.`;
    case 'integer':
    case 'real': {
      const kind = spec.type === 'integer' ? 'Integer' : 'Number';
      const base = baseUnitOf(spec.unit);
      const range = `${spec.minText}..${spec.maxText}`;
      if (base === null) return `${kind}, ${range}; default ${boot}.`;
      const readable = `${formatWithUnit(spec.min!, base)} to ${formatWithUnit(spec.max!, base)}`;
      const bootNumber = Number(spec.bootValue);
      const bootReadable = bootNumber > 0 ? ` (${formatWithUnit(bootNumber, base)})` : '';
      return `${kind} in units of ${spec.unit}, ${range} (${readable}); default ${boot}${bootReadable}.`;
    }
  }
}

function docText(major: PostgresMajor, spec: SettingSpec): string {
  // "*/" cannot appear inside a JSDoc block.
  const safe = (text: string) => text.replace(/\*\//g, '*\\/');
  return safe(`${spec.description}\n\n${describeValue(major, spec)} ${CONTEXT_NOTES[spec.context]}`);
}

type Property = OptionalKind<PropertySignatureStructure>;

function propertyOf(major: PostgresMajor, spec: SettingSpec): Property {
  return { name: spec.name.toLowerCase(), type: typeText(major, spec), hasQuestionToken: true, docs: [docText(major, spec)] };
}

const propertyKey = (property: Property) => `${property.type as string}\n${String(property.docs![0])}`;

/** The text of src/settings/types.generated.ts for the committed catalogs. */
export function renderSettingsTypes(): string {
  const perMajor = new Map<PostgresMajor, Property[]>(SUPPORTED_MAJORS.map((major) => [
    major,
    [...loadCatalog(major).settings.values()]
      .filter(isUserSettable)
      .map((spec) => propertyOf(major, spec))
      .sort((a, b) => (a.name < b.name ? -1 : 1)),
  ]));

  // A property identical (type and documentation) in every major goes once into the common interface.
  const keysByName = new Map<string, Set<string>>();
  const countByName = new Map<string, number>();
  for (const properties of perMajor.values()) {
    for (const property of properties) {
      keysByName.set(property.name, (keysByName.get(property.name) ?? new Set()).add(propertyKey(property)));
      countByName.set(property.name, (countByName.get(property.name) ?? 0) + 1);
    }
  }
  const isCommon = (name: string) => countByName.get(name) === SUPPORTED_MAJORS.length && keysByName.get(name)!.size === 1;

  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Single },
  });
  const header = [
    '// Generated by scripts/gen-settings-types.ts from catalog/postgres-<major>.json: do not edit by hand.',
    '// Parameters that pgsynth controls (CONTROLLED_SETTINGS) and read-only ones are left out.',
    "import type { MemoryUnit, TimeUnit } from './units.js';",
    '',
  ].join('\n');
  const file = project.createSourceFile('types.generated.ts', header, { overwrite: true });
  file.addTypeAlias({
    isExported: true, name: 'MemorySize', type: 'number | `${number}${MemoryUnit}`',
    docs: ['A bare number is in the parameter\'s own unit (see its documentation); a string carries a unit: \'64MB\'.'],
  });
  file.addTypeAlias({
    isExported: true, name: 'Duration', type: 'number | `${number}${TimeUnit}`',
    docs: ['A bare number is in the parameter\'s own unit (see its documentation); a string carries a unit: \'30s\'.'],
  });
  file.addInterface({
    isExported: true,
    name: 'PostgresSettingsCommon',
    docs: ['Parameters that are the same in every supported major, and extension parameters ("pg_stat_statements.max").'],
    indexSignatures: [{ keyName: 'extension', keyType: '`${string}.${string}`', returnType: 'string | number | boolean | undefined' }],
    properties: perMajor.get(SUPPORTED_MAJORS[0])!.filter((property) => isCommon(property.name)),
  });
  for (const [major, properties] of perMajor) {
    file.addInterface({
      isExported: true,
      name: `PostgresSettings${major}`,
      extends: ['PostgresSettingsCommon'],
      docs: [`Settings of PostgreSQL ${major} (catalog read from ${loadCatalog(major).version}).`],
      properties: properties.filter((property) => !isCommon(property.name)),
    });
  }
  const conditional = SUPPORTED_MAJORS.reduceRight<string>(
    (otherwise, major) => `V extends ${major} ? PostgresSettings${major} : ${otherwise}`, 'never');
  file.addTypeAlias({
    isExported: true,
    name: 'SettingsFor',
    typeParameters: [{ name: 'V', constraint: SUPPORTED_MAJORS.join(' | ') }],
    type: conditional,
    docs: ['The settings type of one PostgreSQL major: `SettingsFor<17>`.'],
  });
  return file.getFullText();
}

// Runs only when executed as a script, so tests can import renderSettingsTypes.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const text = renderSettingsTypes();
  writeFileSync(OUTPUT, text);
  console.log(`${OUTPUT}: ${text.length} characters`);
}
