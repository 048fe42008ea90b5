import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { backupPropsSchema } from '../../src/model/backup.js';
import { clusterPropsSchema } from '../../src/model/cluster.js';
import { haproxyPropsSchema } from '../../src/model/haproxy.js';
import { pgpoolPropsSchema } from '../../src/model/pgpool.js';
import { primaryPropsSchema } from '../../src/model/primary.js';
import { replicaPropsSchema } from '../../src/model/replica.js';
import { secret } from '../../src/model/secret.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const docs = readFileSync(`${ROOT}docs/configuration.md`, 'utf8');
const schema = JSON.parse(readFileSync(`${ROOT}schema/pgsynth.schema.json`, 'utf8')) as Record<string, unknown>;

/** Option names in the table under `### <heading>` of docs/configuration.md. */
function documentedOptions(heading: string): string[] {
  const rest = docs.split(`\n### ${heading}\n`)[1];
  if (rest === undefined) throw new Error(`docs/configuration.md has no "### ${heading}" section`);
  const section = rest.split(/\n#/)[0] ?? '';
  const table = section.split('\n\n').find((block) => block.trim().startsWith('| Option |')) ?? '';
  return [...table.matchAll(/^\| `(\w+)`/gm)].map((match) => match[1] as string);
}

const TABLES = [
  { heading: 'ClusterProps', keys: Object.keys(clusterPropsSchema.shape) },
  { heading: 'PrimaryProps', keys: Object.keys(primaryPropsSchema.shape) },
  { heading: 'ReplicaProps', keys: Object.keys(replicaPropsSchema.shape) },
  { heading: 'PgPoolProps', keys: Object.keys(pgpoolPropsSchema.shape) },
  { heading: 'HaproxyProps', keys: Object.keys(haproxyPropsSchema.shape) },
  { heading: 'BackupProps', keys: Object.keys(backupPropsSchema.shape) },
  { heading: 'HaproxyFrontendProps', keys: Object.keys(haproxyPropsSchema.shape.readWrite.shape) },
];

describe('docs/configuration.md and schema/pgsynth.schema.json', () => {
  it('are what scripts/gen-config-docs.ts generates from the current source', () => {
    const run = spawnSync(process.execPath, ['--import', 'jiti/register', 'scripts/gen-config-docs.ts', '--check'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
  }, 180_000); // ~6 s of ts-morph on an idle core; far more while servers start beside it

  it.each(TABLES)('documents exactly the options of the $heading schema', ({ heading, keys }) => {
    const documented = documentedOptions(heading);
    expect(new Set(documented).size).toBe(documented.length);
    expect([...documented].sort()).toEqual([...keys].sort());
  });

  it('marks the options Primary and Replica inherit from PostgresNodeProps', () => {
    const primaryTable = docs.split('\n### PrimaryProps\n')[1] ?? '';
    expect(primaryTable).toMatch(/^\| `hostPort` \(inherited\) \| `number` \| required \|/m);
    expect(primaryTable).toMatch(/^\| `database` \| `string` \| optional \| `'app'` \|/m);
  });
});

describe('the JSON Schema of the props', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema(schema, 'pgsynth');
  const validator = (name: string) => ajv.getSchema(`pgsynth#/$defs/${name}`)!;

  it('has one definition per builder, with JSDoc descriptions and zod defaults', () => {
    const defs = schema.$defs as Record<string, { properties: Record<string, { description?: string; default?: unknown }> }>;
    expect(Object.keys(defs)).toEqual(['ClusterProps', 'PrimaryProps', 'ReplicaProps', 'PgPoolProps', 'HaproxyProps', 'BackupProps', 'SecretRef']);
    expect(defs.PrimaryProps?.properties.port).toMatchObject({ default: 5432, description: 'Port the server listens on inside its container.' });
    expect(defs.ReplicaProps?.properties.primary?.description).toContain('A Primary construct');
  });

  it('accepts a sample of every builder', () => {
    const samples: Record<string, unknown> = {
      ClusterProps: { name: 'shop', postgresVersion: 16, network: { subnet: '10.8.0.0/24' }, superuser: { password: secret('SHOP_PG') } },
      PrimaryProps: { hostPort: 5611, database: 'app', ownerPassword: secret('SHOP_APP_PASSWORD'), settings: { work_mem: '64MB' } },
      ReplicaProps: { primary: {}, hostPort: 5612, synchronous: true, slot: 'replica_one', maxSlotWalKeepSize: -1 },
      PgPoolProps: { backends: [{}, { host: 'db.example', port: 5432, weight: 2 }], hostPort: 9999, healthCheck: { period: 0 } },
      HaproxyProps: { upstream: {}, readWrite: { hostPort: 5100 }, stats: { hostPort: 8404, user: 'admin' }, timeouts: { client: '1h' } },
      BackupProps: { retention: { full: 2 }, schedule: { incr: '0 * * * *' }, encryptionKey: secret('SHOP_BACKUP_KEY'), repository: { type: 'posix', volume: 'shop-backups' } },
    };
    for (const [name, props] of Object.entries(samples)) {
      const validate = validator(name);
      expect({ name, valid: validate(props), errors: validate.errors ?? null }).toEqual({ name, valid: true, errors: null });
    }
  });

  it('rejects an unknown key', () => {
    const validate = validator('PrimaryProps');
    expect(validate({ hostPort: 5611, databse: 'app' })).toBe(false);
    expect(validate.errors).toContainEqual(expect.objectContaining({ keyword: 'additionalProperties', params: { additionalProperty: 'databse' } }));
  });

  it('rejects a wrong type', () => {
    const validate = validator('PgPoolProps');
    expect(validate({ backends: [{ host: 'db', port: 5432 }], hostPort: '9999' })).toBe(false);
    expect(validate.errors).toContainEqual(expect.objectContaining({ instancePath: '/hostPort', keyword: 'type' }));
  });

  it('takes a password only as a secret() reference', () => {
    const validate = validator('PrimaryProps');
    expect(validate({ hostPort: 5611, ownerPassword: secret('SHOP_APP_PASSWORD') })).toBe(true);
    expect(validate({ hostPort: 5611, ownerPassword: 'hunter2' })).toBe(false);
    expect(validate({ hostPort: 5611, ownerPassword: { kind: 'secret', env: 'lower_case' } })).toBe(false);
  });
});
