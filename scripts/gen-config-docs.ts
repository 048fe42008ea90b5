// Generates docs/configuration.md (from the builders' JSDoc) and schema/pgsynth.schema.json (from
// their zod schemas, described with the same JSDoc), so neither can drift from src/model.
// Run: node --import jiti/register scripts/gen-config-docs.ts [--check]
// --check writes nothing and exits 1 naming each committed output that differs from a fresh run.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Node,
  Project,
  ts,
  type ClassDeclaration,
  type FunctionDeclaration,
  type InterfaceDeclaration,
  type JSDocableNode,
  type PropertySignature,
  type SourceFile,
  type TypeNode,
} from 'ts-morph';
import {
  configJsonSchema,
  serializeJsonSchema,
  type BuilderPropsName,
  type ConfigDocs,
  type OptionDoc,
} from '../src/model/config-schema.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCRIPT = 'scripts/gen-config-docs.ts';
const REGENERATE = `node --import jiti/register ${SCRIPT}`;
const DOCS_FILE = 'docs/configuration.md';
const SCHEMA_FILE = 'schema/pgsynth.schema.json';

interface Builder {
  className: string;
  props: BuilderPropsName;
  file: string;
  /** Interfaces used inside the props that get their own table. */
  nested: string[];
}

const BUILDERS: Builder[] = [
  { className: 'Cluster', props: 'ClusterProps', file: 'cluster.ts', nested: [] },
  { className: 'Primary', props: 'PrimaryProps', file: 'primary.ts', nested: [] },
  { className: 'Replica', props: 'ReplicaProps', file: 'replica.ts', nested: [] },
  { className: 'PgPool', props: 'PgPoolProps', file: 'pgpool.ts', nested: [] },
  { className: 'Haproxy', props: 'HaproxyProps', file: 'haproxy.ts', nested: ['HaproxyFrontendProps', 'HaproxyStatsProps'] },
  { className: 'Backup', props: 'BackupProps', file: 'backup.ts', nested: ['BackupPosixRepository', 'BackupS3Repository'] },
];

// ---------------------------------------------------------------------------------------------
// Reading the source

interface JsDocText {
  description: string;
  tags: Map<string, string>;
}

interface Option extends OptionDoc {
  name: string;
  /** The type as written in the interface. */
  type: string;
  required: boolean;
  example?: string;
  /** The interface it comes from when it is inherited through `extends`. */
  inheritedFrom?: string;
}

interface ClassDoc {
  signature: string;
  shortSignature: string;
  description: string;
  example?: string;
}

class ModelSource {
  private readonly files: SourceFile[];

  constructor(root: string) {
    const project = new Project({ tsConfigFilePath: join(root, 'tsconfig.json'), skipAddingFilesFromTsConfig: true });
    this.files = project.addSourceFilesAtPaths(join(root, 'src/model/*.ts'));
  }

  interface(name: string): InterfaceDeclaration {
    for (const file of this.files) {
      const found = file.getInterface(name);
      if (found) return found;
    }
    throw new Error(`interface ${name} not found in src/model`);
  }

  class(name: string): ClassDeclaration {
    for (const file of this.files) {
      const found = file.getClass(name);
      if (found) return found;
    }
    throw new Error(`class ${name} not found in src/model`);
  }

  function(name: string): FunctionDeclaration {
    for (const file of this.files) {
      const found = file.getFunction(name);
      if (found) return found;
    }
    throw new Error(`function ${name} not found in src/model`);
  }

  private hasInterface(name: string): boolean {
    return this.files.some((file) => file.getInterface(name) !== undefined);
  }

  /** The interface's own options, then those it inherits (marked with their origin). */
  options(name: string): Option[] {
    const declaration = this.interface(name);
    const own = declaration.getProperties().map((property) => this.option(property));
    const inherited = declaration.getExtends().flatMap((base) => {
      const baseName = base.getExpression().getText();
      return this.options(baseName).map((option) => ({ ...option, inheritedFrom: option.inheritedFrom ?? baseName }));
    });
    return [...own, ...inherited];
  }

  private option(property: PropertySignature): Option {
    const doc = jsDoc(property);
    const typeNode = property.getTypeNodeOrThrow();
    const nested = this.nestedOptions(typeNode);
    return {
      name: property.getName(),
      type: docType(typeNode.getText()),
      required: !property.hasQuestionToken(),
      description: doc.description,
      ...optional('default', doc.tags.get('default')),
      ...optional('example', doc.tags.get('example')),
      ...optional('options', nested),
    };
  }

  /** Documented members of an object-typed option, for the JSON Schema's nested descriptions. */
  private nestedOptions(typeNode: TypeNode): Record<string, OptionDoc> | undefined {
    const members = this.members(typeNode);
    if (members.length === 0) return undefined;
    return Object.fromEntries(members.map((member) => [member.getName(), this.option(member)]));
  }

  private members(typeNode: TypeNode): PropertySignature[] {
    if (Node.isTypeLiteral(typeNode)) return typeNode.getProperties();
    if (Node.isIntersectionTypeNode(typeNode)) return typeNode.getTypeNodes().flatMap((part) => this.members(part));
    if (Node.isTypeReference(typeNode)) {
      const name = typeNode.getTypeName().getText();
      return this.hasInterface(name) ? this.interface(name).getProperties() : [];
    }
    return [];
  }

  classDoc(name: string): ClassDoc {
    const declaration = this.class(name);
    const parameters = declaration.getConstructors()[0]?.getParameters() ?? [];
    const doc = jsDoc(declaration);
    return {
      signature: `new ${name}(${parameters.map((p) => oneLine(p.getText())).join(', ')})`,
      shortSignature: `new ${name}(${parameters.map((p) => p.getName()).join(', ')})`,
      description: doc.description,
      ...optional('example', doc.tags.get('example')),
    };
  }
}

function jsDoc(node: JSDocableNode): JsDocText {
  const doc = node.getJsDocs().at(-1);
  const tags = new Map<string, string>();
  for (const tag of doc?.getTags() ?? []) tags.set(tag.getTagName(), (tag.getCommentText() ?? '').trim());
  return { description: paragraphs(doc?.getDescription() ?? ''), tags };
}

/** Joins wrapped lines but keeps blank-line paragraph breaks. */
function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map(oneLine)
    .filter(Boolean)
    .join('\n\n');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The type column: every props field is readonly, arrays too (the intro says so once), so the
 * table shows the shape without repeating `readonly` on each member.
 */
function docType(text: string): string {
  return oneLine(text)
    .replace(/\breadonly\s+/g, '')
    .replace(/\bReadonlyArray</g, 'Array<');
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

// ---------------------------------------------------------------------------------------------
// Markdown

/** Escapes a table cell: pipes everywhere, angle brackets outside code spans (they read as HTML). */
function cell(text: string): string {
  return oneLine(text)
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith('`') ? part : part.replace(/</g, '&lt;').replace(/>/g, '&gt;')))
    .join('')
    .replace(/\|/g, '\\|');
}

function code(text: string): string {
  return cell(`\`${oneLine(text)}\``);
}

// Literal kinds a default can be written as; anything else in `@default` is prose.
const LITERAL_KINDS = new Set([
  ts.SyntaxKind.NumericLiteral,
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.TrueKeyword,
  ts.SyntaxKind.FalseKeyword,
  ts.SyntaxKind.ObjectLiteralExpression,
  ts.SyntaxKind.ArrayLiteralExpression,
  ts.SyntaxKind.PrefixUnaryExpression,
  ts.SyntaxKind.CallExpression,
]);

/** Whether a `@default` is a TypeScript value (shown as code) rather than a sentence. */
function isCodeValue(text: string): boolean {
  const source = `(${text});`;
  const { diagnostics = [] } = ts.transpileModule(source, { reportDiagnostics: true });
  if (diagnostics.length > 0) return false;
  const statement = ts.createSourceFile('default.ts', source, ts.ScriptTarget.Latest).statements[0];
  if (!statement || !ts.isExpressionStatement(statement) || !ts.isParenthesizedExpression(statement.expression)) return false;
  return LITERAL_KINDS.has(statement.expression.expression.kind);
}

function defaultCell(option: Option): string {
  if (option.default === undefined) return '—';
  return isCodeValue(option.default) ? code(option.default) : cell(option.default);
}

function optionsTable(options: Option[]): string {
  const rows = options.map((option) => {
    const name = `\`${option.name}\`${option.inheritedFrom ? ' (inherited)' : ''}`;
    const example = option.example ? ` Example: ${code(option.example)}` : '';
    const required = option.required ? 'required' : 'optional';
    return `| ${name} | ${code(option.type)} | ${required} | ${defaultCell(option)} | ${cell(option.description)}${example} |`;
  });
  return ['| Option | Type | Required | Default | Description |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

function codeBlock(text: string): string {
  return ['```ts', text, '```'].join('\n');
}

function builderSection(source: ModelSource, builder: Builder): string {
  const doc = source.classDoc(builder.className);
  const options = source.options(builder.props);
  const bases = [...new Set(options.flatMap((option) => option.inheritedFrom ?? []))];
  const parts = [`## ${builder.className}`, codeBlock(doc.signature), cell(doc.description)];
  if (doc.example) parts.push(codeBlock(doc.example));
  parts.push(`### ${builder.props}`);
  if (bases.length > 0) {
    const origins = bases.map((base) => [`\`${base}\``, jsDoc(source.interface(base)).description].filter(Boolean).join(': '));
    parts.push(cell(`Options marked (inherited) come from ${origins.join('; ')}`));
  }
  parts.push(optionsTable(options));
  for (const nested of builder.nested) {
    const users = options.filter((option) => new RegExp(`\\b${nested}\\b`).test(option.type)).map((o) => `\`${o.name}\``);
    parts.push(`### ${nested}`, `Used by ${users.join(', ')}.`, optionsTable(source.options(nested)));
  }
  return parts.join('\n\n');
}

function secretsSection(source: ModelSource): string {
  const fn = source.function('secret');
  const fnDoc = jsDoc(fn);
  const refDoc = jsDoc(source.interface('SecretRef'));
  const params = fn.getParameters().map((p) => oneLine(p.getText())).join(', ');
  const signature = `secret(${params}): ${fn.getReturnTypeNodeOrThrow().getText()}`;
  const parts = ['## Secrets', codeBlock(signature), cell(`${fnDoc.description} ${refDoc.description}`)];
  const example = fnDoc.tags.get('example');
  if (example) parts.push(codeBlock(example));
  parts.push('A password option accepts only a `secret(...)`: a string literal is rejected at construction.');
  return parts.join('\n\n');
}

function markdown(source: ModelSource): string {
  const contents = [...BUILDERS.map((b) => b.className), 'Secrets'].map((name) => `- [${name}](#${name.toLowerCase()})`);
  const sections = [
    `<!-- Generated by ${SCRIPT} from the JSDoc in src/model/*.ts: do not edit. Regenerate with \`${REGENERATE}\`. -->`,
    '# Configuration reference',
    `Generated by \`${SCRIPT}\` from the props interfaces in \`src/model/\`. Every builder checks its props when it is constructed: an unknown option, a wrong type or an out-of-range value throws before anything is written. Every option is \`readonly\` in the TypeScript types (arrays too): pgsynth never changes the objects you pass. The same props as a JSON Schema (draft 2020-12): \`${SCHEMA_FILE}\`, one \`$defs\` entry per props interface.`,
    contents.join('\n'),
    ...BUILDERS.map((builder) => builderSection(source, builder)),
    secretsSection(source),
  ];
  return `${sections.join('\n\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// JSON Schema

function toDocs(options: Option[]): Record<string, OptionDoc> {
  return Object.fromEntries(
    options.map((option) => [
      option.name,
      {
        description: option.description,
        ...optional('default', option.default),
        ...optional('options', option.options),
      },
    ]),
  );
}

function jsonSchema(source: ModelSource): string {
  const docs: Partial<ConfigDocs> = {};
  for (const builder of BUILDERS) {
    const doc = source.classDoc(builder.className);
    docs[builder.props] = {
      description: `Props of ${doc.shortSignature}. ${oneLine(doc.description)}`,
      options: toDocs(source.options(builder.props)),
    };
  }
  docs.SecretRef = { description: `secret('ENV'). ${jsDoc(source.interface('SecretRef')).description}`, options: {} };
  return serializeJsonSchema(configJsonSchema(docs as ConfigDocs));
}

// ---------------------------------------------------------------------------------------------

function main(): void {
  const check = process.argv.includes('--check');
  const source = new ModelSource(ROOT);
  const outputs: Record<string, string> = {
    [DOCS_FILE]: markdown(source),
    [SCHEMA_FILE]: jsonSchema(source),
  };

  if (check) {
    const stale = Object.entries(outputs).filter(([file, text]) => readOrEmpty(join(ROOT, file)) !== text);
    for (const [file] of stale) console.error(`${file} is stale: regenerate it with \`${REGENERATE}\``);
    process.exit(stale.length > 0 ? 1 : 0);
  }
  for (const [file, text] of Object.entries(outputs)) {
    mkdirSync(dirname(join(ROOT, file)), { recursive: true });
    writeFileSync(join(ROOT, file), text);
    console.log(`wrote ${file}`);
  }
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

main();
