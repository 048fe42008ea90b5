/**
 * The docs, run as a newcomer would follow them: every shell block of README.md and docs/*.md is
 * executed in a fresh consumer project that installs pgsynth from its packed tarball, every
 * console transcript is compared with the real output (normalized: timings, PIDs, paths, ports),
 * every TypeScript block is type-checked against the shipped declarations. A block that must not
 * run here carries `<!-- docs-test: skip REASON -->` right above its fence, and is listed below.
 *
 * What the suite changes, and nothing else (each is said in the docs where it matters):
 * - `npm i -D pgsynth` installs the packed tarball instead of the registry's version;
 * - the config a doc describes runs with `postgresVersion: 15` (Debian 12's PostgreSQL), and on
 *   free ports instead of the doc's (5611, 5100, …, and Pgpool's PCP port 9898), so the suite can
 *   run beside other tests; commands get the free ports, output shows the doc's ones again.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePorts } from '../support/ports.js';
import { packTarball, ROOT } from '../package/pack.js';
import { docBlocks, normalize, transcriptMatches, transcriptSteps, type DocBlock } from './doc-blocks.js';

/** Every hand-written doc, in the order a newcomer reads them. */
const DOCS = ['README.md', 'docs/getting-started.md', 'docs/local.md', 'docs/troubleshooting.md', 'docs/running.md', 'docs/backup.md'];
/**
 * Generated from the code (npm run docs) and compared with a fresh render by their own tests; they
 * hold no shell blocks, and their TypeScript blocks are fragments (one-line examples, each rule's
 * triggering config) type-checked here with the names they use declared, or signatures.
 */
const GENERATED = ['docs/rules.md', 'docs/configuration.md'];
const FRAGMENT_PRELUDE = `import { Backup, Cluster, Primary, Replica, PgPool, Haproxy, secret } from 'pgsynth';
declare const cluster: Cluster<17>;
declare const primary: Primary<17>;
declare const r1: Replica<17>, r2: Replica<17>, replica: Replica<17>;
declare const pgpool: PgPool;
declare const otherClusterReplica: Replica<17>, otherClusterPgpool: PgPool;
`;
/** `new Cluster(props: ClusterProps<V>)`, `secret(env: string): SecretRef`: a signature, not code. */
const isSignature = (block: DocBlock) => /^(new )?\w+\(\w+: /.test(block.text);
/** The blocks the suite does not run, by doc and first line, with the reason the doc gives. */
const SKIPPED = [
  'README.md: bash scripts/setup.sh (developing pgsynth itself: installs packages and runs the whole test suite)',
  'README.md: install -m 600 cluster/.env.example cluster/.env   # fill in the passwords (needs a Docker engine)',
  'docs/local.md: apt-get install --no-install-recommends postgresql pgpool2 haproxy   # PostgreSQL 15, Pgpool-II 4.3, HAProxy 2.6 (installs system packages; scripts/setup.sh does it for the suite)',
  'docs/running.md: install -m 600 cluster/.env.example cluster/.env   # fill in every password; .env is git-ignored (needs a Docker engine)',
  'docs/running.md: docker compose -f cluster/docker-compose.yml exec pg-primary \\ (needs a Docker engine)',
  'docs/running.md: docker compose -f cluster/docker-compose.yml down      # keeps the volumes (needs a Docker engine)',
  "docs/running.md: bash scripts/setup.sh    # as root: installs docker.io and debootstrap, starts dockerd, builds the image (developing pgsynth itself: run in pgsynth's own checkout)",
  'docs/backup.md: npx synth backup (needs a Backup construct in the config; test/backup/pitr.test.ts runs these commands)',
  'docs/backup.md: npx synth check-backups (needs a damaged repository; test/backup/pitr.test.ts makes one)',
  "docs/backup.md: npx synth restore --to '2026-11-30 14:05:00+00' --into /srv/restore/shop-1405 (a runbook step on a real incident; test/backup/pitr.test.ts runs it)",
  'docs/backup.md: pg_ctl -D /srv/restore/shop-1405 -o "-c port=5999 -c unix_socket_directories=/tmp -c listen_addresses=\'\'" -l /srv/restore/shop-1405.log start (a runbook step on a real incident; test/backup/pitr.test.ts runs it)',
  'docs/backup.md: npx synth restore --to latest --into .pgsynth/local/shop/pg-primary/data --force (a runbook step on a real incident; test/backup/pitr.test.ts runs it)',
  'docs/backup.md: 0 1 * * 0    cd /srv/shop && npx synth backup --type full (a crontab, not commands to run here)',
  'docs/backup.md: docker compose logs backup (needs a Docker engine; test/compose/backup.test.ts reads this log)',
  'docs/backup.md: docker compose exec backup bash /etc/pgsynth/backup.sh once full (needs a Docker engine and the running cluster)',
  'docs/backup.md: docker compose run --rm --no-deps -v shop-restore-1405:/var/lib/postgresql/restore backup \\ (needs a Docker engine; test/compose/backup.test.ts runs these steps)',
];

/** A vitest consumer's settings: bundler resolution (imports without extensions), top-level await. */
const TS_OPTIONS = { module: 'preserve', moduleResolution: 'bundler', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] };

const ours = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
const README_CONFIG = /`cluster\.config\.ts`:\n\n```ts\n([\s\S]*?)```/.exec(readFileSync(join(ROOT, 'README.md'), 'utf8'))![1]!;

let work: string;
let tarball: string;
/** A consumer with pgsynth, vitest and the types the TypeScript blocks import: docs without an install step start from it. */
let base: string;
const projects: string[] = [];

function sh(script: string, cwd: string, env: NodeJS.ProcessEnv = cleanEnv()): { status: number; output: string } {
  const result = spawnSync('bash', ['-c', `exec 2>&1\n${script}`], { cwd, env, encoding: 'utf8', timeout: 240_000 });
  return { status: result.status ?? -1, output: (result.stdout ?? '') + (result.error ? String(result.error) : '') };
}

/** The user's environment without PG* variables (a developer's PGHOST must not steer psql here). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PG') && !k.startsWith('VITEST') && k !== 'NODE_OPTIONS'));
  return { ...env, CI: 'true', NO_COLOR: '1' };
}

beforeAll(() => {
  // Directly under /tmp, not the run's private TMPDIR: a Unix socket path in the projects below
  // must stay within 107 bytes (PGS171).
  work = mkdtempSync('/tmp/pgd-');
  chmodSync(work, 0o755);
  tarball = packTarball(work);
  base = join(work, 'base');
  mkdirSync(base);
  const dev = ours.devDependencies;
  writeFileSync(
    join(base, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module', devDependencies: { pgsynth: `file:${tarball}`, vitest: dev.vitest, '@types/pg': dev['@types/pg'], '@types/node': dev['@types/node'] } }, null, 2),
  );
  const install = sh('npm install --no-audit --no-fund --prefer-offline', base);
  if (install.status !== 0) throw new Error(`npm install in the consumer failed:\n${install.output}`);
}, 300_000);

afterAll(() => {
  // Every cluster a doc started is stopped even when its test failed half-way.
  for (const project of projects) if (existsSync(join(project, '.pgsynth'))) sh('npx synth down --purge', project);
  if (work) rmSync(work, { recursive: true, force: true });
}, 120_000);

interface DocReport {
  executed: string[];
  typechecked: string[];
  skipped: string[];
  illustrations: number;
  failures: string[];
}

/** Doc ports (the config's hostPorts and Pgpool's default PCP port) → free ports, longest first. */
async function portMap(config: string): Promise<Map<string, string>> {
  const docPorts = [...new Set([...config.matchAll(/hostPort: (\d+)/g)].map((m) => m[1]!).concat(/new PgPool\(/.test(config) ? ['9898'] : []))];
  const free = await findFreePorts(docPorts.length);
  return new Map(docPorts.map((port, i) => [port, String(free[i])]));
}

function withPorts(text: string, ports: Map<string, string>): string {
  return ports.size ? text.replace(new RegExp(`\\b(${[...ports.keys()].join('|')})\\b`, 'g'), (port) => ports.get(port)!) : text;
}

/** The config as the suite runs it: Debian's PostgreSQL 15, free ports, Pgpool's PCP port published on a free one. */
function runnableConfig(config: string, ports: Map<string, string>): string {
  const withPcp = config.replace(/(new PgPool\([^\n]*?hostPort: 9999)/, '$1, pcpHostPort: 9898');
  return withPorts(withPcp.replace(/postgresVersion: 17\b/, 'postgresVersion: 15'), ports);
}

const isConfig = (block: DocBlock) => block.kind === 'ts' && /export default cluster;/.test(block.text);

/** Where a TypeScript block lives in its doc's type-check project. */
function tsPath(block: DocBlock): string {
  const named = /^\/\/ (\S+\.ts)$/.exec(block.text.split('\n')[0] ?? '');
  if (named) return named[1]!;
  return isConfig(block) ? 'cluster.config.ts' : `test/block-${block.line}.ts`;
}

/**
 * Runs one document top to bottom in `project` (created here): shell blocks and transcripts in
 * order, in one shell environment carried from command to command; then its TypeScript blocks.
 */
async function runDoc(name: string, markdown: string, project: string): Promise<DocReport> {
  const report: DocReport = { executed: [], typechecked: [], skipped: [], illustrations: 0, failures: [] };
  const blocks = docBlocks(markdown);
  const installs = blocks.some((b) => b.kind === 'shell' && !b.skip && /npm i(nstall)? -D pgsynth/.test(b.text));
  mkdirSync(project, { recursive: true });
  projects.push(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2));
  if (!installs) symlinkSync(join(base, 'node_modules'), join(project, 'node_modules'));
  // A doc that describes no config of its own works on the README's (local.md says so).
  const docConfig = blocks.find(isConfig)?.text ?? README_CONFIG;
  const ports = await portMap(docConfig);
  if (!blocks.some(isConfig)) writeFileSync(join(project, 'cluster.config.ts'), runnableConfig(README_CONFIG, ports));
  const reverse: [string, string][] = [[project, '/home/me/shop'], ...[...ports].map(([doc, free]): [string, string] => [free, doc])];
  const envFile = join(project, '.docs-env');
  writeFileSync(envFile, '');

  const run = (script: string) => {
    const body = withPorts(script, ports).replace(/\bnpm i(nstall)? -D pgsynth\b/g, `npm i -D --no-audit --no-fund --prefer-offline ${tarball}`);
    // the shell state (export PGPASSWORD=…) carries over to the next command, as in a terminal
    return sh(`source ${envFile}\n${body}\nstatus=$?\nexport -p | grep -Ev '^declare -x (PWD|OLDPWD|SHLVL|_)=' > ${envFile}\nexit $status`, project);
  };

  for (const block of blocks) {
    const where = `${name}:${block.line}`;
    const first = block.text.split('\n')[0]!;
    if (block.skip !== undefined) {
      report.skipped.push(`${name}: ${first.replace(/^\$ /, '')} (${block.skip})`);
      continue;
    }
    if (block.kind === 'ts') {
      if (isConfig(block)) writeFileSync(join(project, 'cluster.config.ts'), runnableConfig(block.text, ports));
      continue;
    }
    if (block.kind === 'shell') {
      const result = run(`set -eo pipefail\n${block.text}`);
      report.executed.push(where);
      if (result.status !== 0) report.failures.push(`${where}: the block exited ${result.status}:\n${result.output}`);
      continue;
    }
    if (block.kind === 'console') {
      report.executed.push(where);
      for (const step of transcriptSteps(block.text)) {
        const result = run(step.command);
        const actual = normalize(result.output.split('\n'), reverse);
        const expected = normalize(step.expected);
        if (result.status !== step.exitCode) {
          report.failures.push(`${where}: $ ${step.command}\nexited ${result.status}, the doc says ${step.exitCode}:\n${result.output}`);
        } else if (!transcriptMatches(expected, actual)) {
          report.failures.push(`${where}: $ ${step.command}\nthe doc shows:\n${expected.join('\n')}\nit printed (normalized):\n${actual.join('\n')}`);
        }
      }
      continue;
    }
    // a file tree or an output sample; commands in it would silently escape the suite
    if (/^(\$ |npx |npm |synth )/m.test(block.text)) report.failures.push(`${where}: commands in a block without a sh or console info string: mark it so it runs`);
    report.illustrations += 1;
  }

  // TypeScript: every block as a file of one project beside the consumer's node_modules.
  const tsBlocks = blocks.filter((b) => b.kind === 'ts' && b.skip === undefined);
  if (tsBlocks.length) {
    const dir = join(base, `ts-${name.replace(/\W+/g, '-')}-${projects.length}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'cluster.config.ts'), README_CONFIG);
    const files = new Map<string, number>();
    for (const block of tsBlocks) {
      const path = tsPath(block);
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), block.text);
      files.set(path, block.line);
      report.typechecked.push(`${name}:${block.line}`);
    }
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: TS_OPTIONS,
        include: ['**/*.ts'],
      }),
    );
    const tsc = sh(`node ${join(ROOT, 'node_modules/typescript/bin/tsc')} -p . --pretty false`, dir);
    if (tsc.status !== 0) {
      // name the doc line of each error's block
      const lines = tsc.output.split('\n').filter(Boolean).map((line) => {
        const file = /^([^(]+)\(/.exec(line)?.[1];
        return file && files.has(file) ? `${name}:${files.get(file)} (${file}) ${line}` : line;
      });
      report.failures.push(`${name}: TypeScript blocks do not type-check:\n${lines.join('\n')}`);
    }
  }
  return report;
}

describe('the docs run as tests', () => {
  it('covers every doc: hand-written ones run, generated ones are checked by their own tests', () => {
    const onDisk = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);
    expect([...DOCS.filter((d) => d.startsWith('docs/')), ...GENERATED].sort()).toEqual(onDisk.sort());
  });

  it.each(GENERATED)('%s: no shell block; every TypeScript fragment type-checks against the shipped declarations', (doc) => {
    const blocks = docBlocks(readFileSync(join(ROOT, doc), 'utf8'));
    expect(blocks.filter((b) => b.kind === 'shell' || b.kind === 'console')).toEqual([]);
    const fragments = blocks.filter((b) => b.kind === 'ts' && !isSignature(b));
    const dir = join(base, `ts-${doc.replace(/\W+/g, '-')}`);
    mkdirSync(dir, { recursive: true });
    // each fragment in its own scope, so two examples may both declare `other`
    let text = FRAGMENT_PRELUDE;
    const lineOf: number[] = [];
    for (const block of fragments) {
      text += '{\n';
      const first = text.split('\n').length; // the 1-based line the fragment starts on
      block.text.split('\n').forEach((_, i) => (lineOf[first + i] = block.line + i));
      text += `${block.text}\n}\n`;
    }
    writeFileSync(join(dir, 'fragments.ts'), text);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: TS_OPTIONS, include: ['fragments.ts'] }));
    const tsc = sh(`node ${join(ROOT, 'node_modules/typescript/bin/tsc')} -p . --pretty false`, dir);
    const errors = tsc.output.split('\n').filter(Boolean).map((line) => line.replace(/^fragments\.ts\((\d+),/, (_, n: string) => `${doc}:${lineOf[Number(n)] ?? '?'} (`));
    console.log(`${doc}: ${fragments.length} fragments type-checked, ${blocks.length - fragments.length} signatures or output examples`);
    expect(errors).toEqual([]);
    expect(fragments.length).toBeGreaterThan(0);
  }, 60_000);

  const reports = new Map<string, DocReport>();
  it.each(DOCS)('%s', async (doc) => {
    const started = performance.now();
    // a short folder name: the servers' socket paths under it must fit sun_path (107 bytes, PGS171)
    const report = await runDoc(doc, readFileSync(join(ROOT, doc), 'utf8'), join(work, `d${DOCS.indexOf(doc)}`));
    reports.set(doc, report);
    console.log(
      `${doc}: ${report.executed.length} executed, ${report.typechecked.length} type-checked, ${report.skipped.length} skipped, ${report.illustrations} illustrations, ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(report.failures).toEqual([]);
    // a doc of Docker commands only (running.md) is all skipped, and listed in SKIPPED
    expect(report.executed.length + report.typechecked.length + report.skipped.length).toBeGreaterThan(0);
  }, 300_000);

  it('skips exactly the blocks listed here, each with its reason', () => {
    expect([...reports.values()].flatMap((r) => r.skipped)).toEqual(SKIPPED);
  });

  it('fails on a deliberately broken example: a failing command, a transcript that lies, commands hidden in a plain block, a type error', async () => {
    const broken = [
      '```ts',
      "import { Cluster } from 'pgsynth';",
      "new Cluster({ name: 'shop', postgresVersion: 'seventeen' });",
      '```',
      '',
      '```sh',
      'npx synth --frobnicate',
      '```',
      '',
      '```console',
      '$ npx synth validate',
      'shop: no problems found',
      '$ npx synth explain PGS053',
      'PGS053 (error): a title the rule does not have',
      '…',
      '```',
      '',
      '<!-- docs-test: skip needs a Docker engine -->',
      '```sh',
      'docker compose up -d',
      '```',
      '',
      '```',
      '$ npx synth up',
      '```',
    ].join('\n');
    const report = await runDoc('broken.md', broken, join(work, 'broken'));
    expect(report.skipped).toEqual(['broken.md: docker compose up -d (needs a Docker engine)']);
    expect(report.failures).toHaveLength(5);
    expect(report.failures[0]).toMatch(/^broken\.md:7: the block exited 2:\n.*Unknown option '--frobnicate'/s);
    expect(report.failures[1]).toMatch(/^broken\.md:11: \$ npx synth validate\nthe doc shows:\nshop: no problems found\nit printed .*PGS053/s);
    expect(report.failures[2]).toMatch(/^broken\.md:11: \$ npx synth explain PGS053\nthe doc shows:\nPGS053 \(error\)/);
    expect(report.failures[3]).toBe('broken.md:24: commands in a block without a sh or console info string: mark it so it runs');
    expect(report.failures[4]).toMatch(/^broken\.md: TypeScript blocks do not type-check:\nbroken\.md:2 \(test\/block-2\.ts\)/);
  }, 120_000);
});
