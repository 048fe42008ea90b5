import * as z from 'zod';
import { backupPropsSchema } from './backup.js';
import { clusterPropsSchema } from './cluster.js';
import { haproxyPropsSchema } from './haproxy.js';
import { pgpoolPropsSchema } from './pgpool.js';
import { primaryPropsSchema } from './primary.js';
import { replicaPropsSchema } from './replica.js';
import { secretRef } from './fields.js';

// One JSON Schema document for the props of every builder, built from their zod schemas. The
// prose comes from the interfaces' JSDoc (read by scripts/gen-config-docs.ts), so editors show the
// same text as docs/configuration.md.

type JsonSchema = z.core.JSONSchema.BaseSchema;

/** The props schema of each builder, keyed by the `$defs` name it gets (its props interface). */
export const BUILDER_PROPS_SCHEMAS = {
  ClusterProps: clusterPropsSchema,
  PrimaryProps: primaryPropsSchema,
  ReplicaProps: replicaPropsSchema,
  PgPoolProps: pgpoolPropsSchema,
  HaproxyProps: haproxyPropsSchema,
  BackupProps: backupPropsSchema,
} as const;

export type BuilderPropsName = keyof typeof BUILDER_PROPS_SCHEMAS;

/** The documentation of one option, and of its nested options when it is an object. */
export interface OptionDoc {
  description: string;
  /** The `@default` text, prose or code as written. */
  default?: string;
  options?: Record<string, OptionDoc>;
}

/** The documentation of one `$defs` entry: its own description and its options'. */
export interface DefinitionDoc {
  description: string;
  options: Record<string, OptionDoc>;
}

export type ConfigDocs = Record<BuilderPropsName | 'SecretRef', DefinitionDoc>;

// secret() returns a plain frozen { kind, env } object, so unlike the constructs it has an exact
// JSON shape. The pattern is the one isSecretRef() checks.
const SECRET_REF_DEFINITION: JsonSchema = {
  type: 'object',
  properties: {
    kind: { const: 'secret' },
    env: { type: 'string', pattern: '^[A-Z_][A-Z0-9_]*$' },
  },
  required: ['kind', 'env'],
  additionalProperties: false,
};

// Constructs (z.custom brand checks) have no JSON equivalent and come out as `{}`: say what
// belongs there instead. Keyed by the zod schema object, which toJSONSchema's override receives.
const upstream = haproxyPropsSchema.shape.upstream;
const UNREPRESENTABLE: ReadonlyMap<unknown, JsonSchema> = new Map<unknown, JsonSchema>([
  [secretRef, { $ref: '#/$defs/SecretRef' }],
  [replicaPropsSchema.shape.primary, { description: 'A Primary construct of the same cluster.' }],
  [pgpoolPropsSchema.shape.backends.element.options[0], { description: 'A Primary or Replica construct.' }],
  [upstream, { description: 'A PgPool construct or an array of Primary/Replica constructs.' }],
  [upstream.options[0], { description: 'A PgPool construct.' }],
  [upstream.options[1].element, { description: 'A Primary or Replica construct.' }],
]);

function builderJsonSchema(name: BuilderPropsName): JsonSchema {
  const generated = z.toJSONSchema(BUILDER_PROPS_SCHEMAS[name], {
    io: 'input',
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema, path }) => {
      const replacement = UNREPRESENTABLE.get(zodSchema);
      if (replacement) Object.assign(jsonSchema, replacement);
      else if (zodSchema._zod.def.type === 'custom') {
        // A new z.custom would otherwise slip into the schema as an undocumented `{}`.
        throw new Error(`${name}: z.custom at ${path.join('.')} has no JSON Schema description in src/model/config-schema.ts`);
      }
    },
  });
  const { $schema: _dialect, ...schema } = generated;
  if (schema.$defs) throw new Error(`${name}: zod emitted its own $defs, which this combined document does not merge`);
  return schema;
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * The value a `@default` denotes when it is a plain literal (`'4GB'`, `{ period: 5 }`), or
 * undefined for prose and expressions such as `secret(...)`.
 */
export function literalDefault(text: string): unknown {
  const json = text
    .replace(/'((?:[^'\\]|\\.)*)'/g, (_quoted, inner: string) => JSON.stringify(inner))
    .replace(/([{,]\s*)([A-Za-z_$][\w$]*)\s*:/g, '$1"$2":');
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}

/** Whether the schema's `default` already says what the JSDoc `@default` says. */
function defaultAgrees(schema: JsonSchema, text: string): boolean {
  return schema.default !== undefined && JSON.stringify(literalDefault(text)) === JSON.stringify(schema.default);
}

/**
 * Merges an option's JSDoc into its schema. The JSDoc default joins the description wherever the
 * schema's `default` does not already say it: derived defaults (`{}` in zod, filled in by
 * resolve) and those with no zod default at all.
 */
function describe(schema: JsonSchema, doc: OptionDoc): void {
  const parts = [doc.description, schema.description].filter((part): part is string => Boolean(part)).map(sentence);
  if (doc.default !== undefined && !defaultAgrees(schema, doc.default)) parts.push(sentence(`Default: ${doc.default}`));
  if (parts.length > 0) schema.description = parts.join(' ');
  for (const [key, nested] of Object.entries(doc.options ?? {})) {
    const property = schema.properties?.[key];
    if (typeof property === 'object') describe(property, nested);
  }
}

// Subschema positions, so that only schema keywords are sorted and never data (default, enum, const).
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs'] as const;
const SCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const;
const SCHEMA_SINGLES = ['items', 'additionalProperties', 'propertyNames', 'not', 'contains'] as const;

/**
 * Sorts every schema's keywords so the file does not churn with zod's emission order. Property
 * and `$defs` entries keep their declaration order, which is the order a reader expects.
 */
function canonical(schema: JsonSchema): JsonSchema {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(schema).sort()) {
    const value: unknown = schema[key as keyof JsonSchema];
    if ((SCHEMA_MAPS as readonly string[]).includes(key) && isSchemaObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isSchemaObject(v) ? canonical(v) : v]));
    } else if ((SCHEMA_LISTS as readonly string[]).includes(key) && Array.isArray(value)) {
      out[key] = value.map((v: unknown) => (isSchemaObject(v) ? canonical(v) : v));
    } else if ((SCHEMA_SINGLES as readonly string[]).includes(key) && isSchemaObject(value)) {
      out[key] = canonical(value);
    } else {
      out[key] = value;
    }
  }
  return out as JsonSchema;
}

function isSchemaObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The JSON Schema (draft 2020-12) of every builder's props: `#/$defs/ClusterProps`,
 * `#/$defs/PrimaryProps`, …, each described from `docs`.
 */
export function configJsonSchema(docs: ConfigDocs): JsonSchema {
  const definitions: Record<string, JsonSchema> = {};
  for (const name of Object.keys(BUILDER_PROPS_SCHEMAS) as BuilderPropsName[]) {
    definitions[name] = builderJsonSchema(name);
  }
  definitions.SecretRef = structuredClone(SECRET_REF_DEFINITION);
  for (const [name, doc] of Object.entries(docs)) {
    const definition = definitions[name];
    if (!definition) throw new Error(`documentation given for ${name}, which has no schema`);
    describe(definition, { description: doc.description, options: doc.options });
  }
  return canonical({
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'pgsynth builder props',
    description:
      "The props of pgsynth's builders (new Cluster(props), new Primary(cluster, id, props), …): validate one object against #/$defs/<Name>Props. Generated by scripts/gen-config-docs.ts from the zod schemas and JSDoc in src/model/.",
    $defs: definitions,
  });
}

/** The file text: 2-space JSON with a trailing newline. */
export function serializeJsonSchema(schema: JsonSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
