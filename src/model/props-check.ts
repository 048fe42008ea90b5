// Each builder's props are declared twice on purpose: the zod schema checks them at run time, the
// interface (readonly fields, TSDoc with @default) is the public API editors and
// docs/configuration.md read. These assertions make tsc (and `npm run build`) fail on any drift
// between the two in names, types, optionality or readonly-ness; test/model/props-check.test.ts
// proves that they do.
import type * as z from 'zod';
import type { backupPropsSchema, BackupProps } from './backup.js';
import type { clusterPropsSchema, ClusterProps } from './cluster.js';
import type { settingValue } from './fields.js';
import type { haproxyPropsSchema, HaproxyProps } from './haproxy.js';
import type { ConstructNode } from './node.js';
import type { pgpoolPropsSchema, PgPoolProps } from './pgpool.js';
import type { primaryPropsSchema, PrimaryProps } from './primary.js';
import type { replicaPropsSchema, ReplicaProps } from './replica.js';
import type { SecretRef } from './secret.js';
import type { SettingsFor } from '../settings/types.generated.js';
import type { PostgresVersion } from './cluster.js';

/** @internal True only when A and B are the same type (readonly and optional modifiers included). */
export type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** @internal Compiles only for `true`. */
export type Assert<T extends true> = T;

/**
 * @internal What an interface says for a schema's input: every field readonly, down through
 * nested objects and arrays, but not into constructs and secrets (classes and frozen refs).
 */
export type ReadonlyInput<T> = T extends ConstructNode | SecretRef
  ? T
  : T extends readonly (infer E)[]
    ? readonly ReadonlyInput<E>[]
    : T extends object
      ? { readonly [K in keyof T]: ReadonlyInput<T[K]> }
      : T;

/** @internal Flattens intersections, so Equals compares the fields and not how the type was spelt. */
export type Fields<T> = { [K in keyof T]: T[K] };

/**
 * @internal The props the schema accepts compared with the interface. `settings` is left out of
 * the comparison: the interface types it per PostgreSQL major (SettingsFor), the schema accepts
 * any name for the catalog check to explain; SettingsProps below checks the two agree.
 */
export type PropsMatch<Schema extends z.ZodType, Props> = Equals<
  Fields<Omit<ReadonlyInput<z.input<Schema>>, 'settings'>>,
  Fields<Omit<Props, 'settings'>>
>;

type _Cluster = Assert<PropsMatch<typeof clusterPropsSchema, ClusterProps>>;
type _Primary = Assert<PropsMatch<typeof primaryPropsSchema, PrimaryProps>>;
type _Replica = Assert<PropsMatch<typeof replicaPropsSchema, ReplicaProps>>;
type _PgPool = Assert<PropsMatch<typeof pgpoolPropsSchema, PgPoolProps>>;
type _Haproxy = Assert<PropsMatch<typeof haproxyPropsSchema, HaproxyProps>>;
type _Backup = Assert<PropsMatch<typeof backupPropsSchema, BackupProps>>;

// Every typed setting of every major has a value the schema accepts, and both keep settings optional.
type SettingValues<S> = S extends unknown ? NonNullable<S[keyof S]> : never;
type _SettingsAccepted = Assert<SettingValues<SettingsFor<PostgresVersion>> extends z.input<typeof settingValue> ? true : false>;
type _SettingsTyped = Assert<Equals<SettingValues<SettingsFor<PostgresVersion>>, never> extends true ? false : true>;
type _SettingsOptional = Assert<Equals<Pick<PrimaryProps, 'settings'>, { readonly settings?: SettingsFor<PostgresVersion> }>>;
type _SettingsInSchema = Assert<Equals<'settings' extends keyof z.input<typeof primaryPropsSchema> ? true : false, true>>;
