// src/model/props-check.ts fails tsc when a builder's props interface and its zod schema drift
// apart. The cases below are drifts it must catch: each carries @ts-expect-error, so `tsc
// --noEmit -p .` (npm test) fails the day one is no longer an error. The test compiles this file
// with the TypeScript API too, so the quick loop checks the same: with the markers removed, tsc
// must report an error on each case's line and nowhere else (so the file as written is clean).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import type { Assert, PropsMatch } from '../../src/model/props-check.js';
import type { clusterPropsSchema, ClusterProps } from '../../src/model/cluster.js';
import type { haproxyPropsSchema, HaproxyProps } from '../../src/model/haproxy.js';
import type { pgpoolPropsSchema, PgPoolProps } from '../../src/model/pgpool.js';
import { primaryPropsSchema, type PrimaryProps } from '../../src/model/primary.js';

type Without<T, K extends keyof T> = Omit<T, K>;

// The real pairs match (src/model/props-check.ts asserts every builder; these keep the cases honest).
export type Matches = Assert<PropsMatch<typeof primaryPropsSchema, PrimaryProps>>;

// @ts-expect-error a field only the interface has
export type ExtraField = Assert<PropsMatch<typeof primaryPropsSchema, PrimaryProps & { readonly extra?: number }>>;
// @ts-expect-error a field only the schema has
export type MissingField = Assert<PropsMatch<typeof primaryPropsSchema, Without<PrimaryProps, 'database'>>>;
// @ts-expect-error a field of another type
export type OtherType = Assert<PropsMatch<typeof primaryPropsSchema, Without<PrimaryProps, 'port'> & { readonly port?: string }>>;
// @ts-expect-error a wider union than the schema's enum
export type WiderEnum = Assert<PropsMatch<typeof primaryPropsSchema, Without<PrimaryProps, 'walLevel'> & { readonly walLevel?: 'minimal' | 'replica' | 'logical' | 'archive' }>>;
// @ts-expect-error required in the interface, optional (defaulted) in the schema
export type Required = Assert<PropsMatch<typeof primaryPropsSchema, Without<PrimaryProps, 'port'> & { readonly port: number }>>;
// @ts-expect-error optional in the interface, required in the schema
export type Optional = Assert<PropsMatch<typeof pgpoolPropsSchema, Without<PgPoolProps, 'hostPort'> & { readonly hostPort?: number }>>;
// @ts-expect-error a field that is not readonly
export type Mutable = Assert<PropsMatch<typeof primaryPropsSchema, Without<PrimaryProps, 'port'> & { port?: number }>>;
// @ts-expect-error a mutable array
export type MutableArray = Assert<PropsMatch<typeof primaryPropsSchema, Without<PrimaryProps, 'extraSlots'> & { readonly extraSlots?: string[] }>>;
// @ts-expect-error a nested field of another type
export type NestedType = Assert<PropsMatch<typeof clusterPropsSchema, Without<ClusterProps, 'network'> & { readonly network?: { readonly name?: string; readonly subnet?: number } }>>;
// @ts-expect-error a nested field only the interface has
export type NestedExtra = Assert<PropsMatch<typeof haproxyPropsSchema, Without<HaproxyProps, 'timeouts'> & { readonly timeouts?: NonNullable<HaproxyProps['timeouts']> & { readonly idle?: string } }>>;
const driftedSchema = z.strictObject({ ...primaryPropsSchema.shape, extra: z.number().optional() });
// @ts-expect-error a field added to the schema only
export type SchemaOnly = Assert<PropsMatch<typeof driftedSchema, PrimaryProps>>;

const FILE = fileURLToPath(import.meta.url);
const MARKER = '// @ts-expect-error';

/** Errors tsc reports for `text` as this file (the project's options), as 1-based line numbers. */
function errorLines(text: string): number[] {
  const config = ts.getParsedCommandLineOfConfigFile(fileURLToPath(new URL('../../tsconfig.json', import.meta.url)), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  const host = ts.createCompilerHost(config.options);
  const read = host.readFile.bind(host);
  host.readFile = (name) => (name === FILE ? text : read(name));
  const program = ts.createProgram([FILE], { ...config.options, noEmit: true }, host);
  const source = program.getSourceFile(FILE)!;
  return ts.getPreEmitDiagnostics(program, source).map((d) => source.getLineAndCharacterOfPosition(d.start ?? 0).line + 1);
}

describe('the props drift check', () => {
  const text = readFileSync(FILE, 'utf8');
  const lines = text.split('\n');
  const cases = lines.flatMap((line, i) => (line.startsWith(MARKER) ? [i + 2] : []));

  it('catches every drift case in this file, and nothing else', () => {
    expect(cases.length).toBe(11);
    const unmarked = lines.map((line) => (line.startsWith(MARKER) ? '' : line)).join('\n');
    expect([...new Set(errorLines(unmarked))]).toEqual(cases);
  }, 60_000);
});
