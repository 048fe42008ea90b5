// Runs a generated docker-compose.yml for real: Docker Engine, docker-compose 1.29 and the image
// scripts/build-test-image.sh builds from Debian 12's packages (PostgreSQL 15, Pgpool-II 4.3,
// HAProxy 2.6). Each cluster gets host ports free right now, its own compose project and subnet,
// and is always taken down with its volumes.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Cluster, ClusterSpec } from '../../src/index.js';
import { synthesize } from '../../src/index.js';
import { findFreePorts } from '../support/ports.js';
import { writeFiles } from '../../src/writer/writer.js';
import type { ConnConfig } from '../e2e/readme-cluster.js';
import { Haproxy } from '../../src/model/haproxy.js';
import { PgPool } from '../../src/model/pgpool.js';
import { Primary } from '../../src/model/primary.js';
import { Replica } from '../../src/model/replica.js';

const run = promisify(execFile);
const REPO = new URL('../../', import.meta.url).pathname;
const SETUP_HINT = 'run `bash scripts/setup.sh` (installs docker.io and debootstrap, starts dockerd, builds the test image)';

/** The test image's tag, from the recipe hash the build script computes. */
export function testImage(): string {
  return execFileSync('bash', [join(REPO, 'scripts/build-test-image.sh'), '--print-tag'], { encoding: 'utf8' }).trim();
}

/** Fails (never skips) when Docker, docker-compose or the test image is missing, saying how to get them. */
export function requireDocker(): string {
  for (const [tool, pkg] of [['docker', 'docker.io'], ['docker-compose', 'docker-compose']] as const) {
    try {
      execFileSync(tool, ['--version'], { stdio: 'ignore' });
    } catch {
      throw new Error(`${tool} is not installed (Debian package ${pkg}): ${SETUP_HINT}`);
    }
  }
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 20_000 });
  } catch {
    throw new Error(`Docker Engine (dockerd) is not running: ${SETUP_HINT}`);
  }
  const image = testImage();
  try {
    execFileSync('docker', ['image', 'inspect', image], { stdio: 'ignore' });
  } catch {
    throw new Error(`the test image ${image} is not built: ${SETUP_HINT}`);
  }
  return image;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Points a cluster at the test image on PostgreSQL 15 / Pgpool-II 4.3 (what Debian 12 ships),
 * moves every published port to one free right now and the network to a random /24, so runs on
 * one machine do not collide. Mutates the cluster's resolved props in place.
 */
export async function retarget(cluster: Cluster, image: string): Promise<Cluster> {
  const props = cluster.props as Mutable<Cluster['props']>;
  props.postgresVersion = 15;
  props.pgpoolVersion = '4.3';
  props.images = { postgres: image, pgpool: image, haproxy: image };
  props.network = { ...props.network, subnet: `10.${randomInt(200, 250)}.${randomInt(0, 256)}.0/24` };
  const slots: Array<(port: number) => void> = [];
  for (const node of cluster.nodes) {
    if (node instanceof Primary || node instanceof Replica) {
      const p = node.props as { hostPort: number; image?: string };
      delete p.image;
      slots.push((port) => (p.hostPort = port));
    } else if (node instanceof PgPool) {
      const p = node.props as { hostPort: number; pcpHostPort?: number; image?: string };
      delete p.image;
      slots.push((port) => (p.hostPort = port));
      if (p.pcpHostPort !== undefined) slots.push((port) => (p.pcpHostPort = port));
    } else if (node instanceof Haproxy) {
      const p = node.props as { image?: string; readWrite: { hostPort: number }; readOnly?: { hostPort: number }; stats?: { hostPort: number } };
      delete p.image;
      for (const frontend of [p.readWrite, p.readOnly, p.stats]) if (frontend) slots.push((port) => (frontend.hostPort = port));
    }
  }
  const ports = await findFreePorts(slots.length);
  slots.forEach((set, i) => set(ports[i]!));
  return cluster;
}

export interface ContainerState {
  service: string;
  id: string;
  status: string;
  health: string;
}

/** One generated cluster in a folder of its own, run under a unique compose project. */
export class ComposeCluster {
  readonly project: string;
  readonly passwords: Record<string, string>;
  spec: ClusterSpec;

  constructor(
    readonly cluster: Cluster,
    readonly dir: string,
  ) {
    this.project = `pgsynthtest${randomBytes(4).toString('hex')}`;
    this.spec = cluster.resolve({ target: 'compose' });
    // No `$` (compose would read it as a reference) and nothing a shell or conninfo needs quoted.
    this.passwords = Object.fromEntries(this.spec.secrets.map(({ env }) => [env, `pw-${randomBytes(9).toString('base64url')}`]));
  }

  /** Synthesizes into `dir` with the real writer (manifest, rewrite only what changed). */
  synth(): void {
    const { files } = synthesize(this.cluster);
    writeFiles(files, { outDir: this.dir });
    this.spec = this.cluster.resolve({ target: 'compose' });
  }

  /** With `secretFiles`: .env names the project only, each password is a file in secrets/ (0644 in a 0700 folder). */
  writeSecretFiles(omit: string[] = []): void {
    writeFileSync(join(this.dir, '.env'), `COMPOSE_PROJECT_NAME=${this.project}\n`, { mode: 0o600 });
    const dir = join(this.dir, 'secrets');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const [env, value] of Object.entries(this.passwords)) {
      const path = join(dir, env);
      rmSync(path, { force: true });
      if (omit.includes(env)) continue;
      // Readable by the container's postgres user, whatever its uid: the folder keeps others out on the host.
      writeFileSync(path, `${value}\n`, { mode: 0o644 });
      chmodSync(path, 0o644);
    }
  }

  /** Writes .env (0600) with every password, minus the variables in `omit`. */
  writeEnv(omit: string[] = []): void {
    const lines = [`COMPOSE_PROJECT_NAME=${this.project}`, ...Object.entries(this.passwords).filter(([env]) => !omit.includes(env)).map(([env, value]) => `${env}=${value}`)];
    const path = join(this.dir, '.env');
    writeFileSync(path, `${lines.join('\n')}\n`, { mode: 0o600 });
    chmodSync(path, 0o600);
  }

  /** docker-compose in the cluster folder; rejects with stdout and stderr on a non-zero exit. */
  async compose(args: string[], timeoutMs = 300_000): Promise<{ stdout: string; stderr: string }> {
    // The test process's own environment must not fill in what .env lacks.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !(k in this.passwords) && k !== 'COMPOSE_PROJECT_NAME'));
    try {
      return await run('docker-compose', ['-p', this.project, ...args], { cwd: this.dir, env, timeout: timeoutMs, maxBuffer: 64 << 20 });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(`docker-compose ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
    }
  }

  async containers(): Promise<ContainerState[]> {
    const { stdout } = await run('docker', ['ps', '-a', '--filter', `label=com.docker.compose.project=${this.project}`, '-q']);
    const ids = stdout.split('\n').filter(Boolean);
    if (!ids.length) return [];
    const inspected = JSON.parse((await run('docker', ['inspect', ...ids], { maxBuffer: 64 << 20 })).stdout) as Array<{
      Id: string;
      Config: { Labels: Record<string, string> };
      State: { Status: string; Health?: { Status: string } };
    }>;
    return inspected
      .map((c) => ({ service: c.Config.Labels['com.docker.compose.service'] ?? '', id: c.Id, status: c.State.Status, health: c.State.Health?.Status ?? '' }))
      .sort((a, b) => (a.service < b.service ? -1 : 1));
  }

  serviceIds(): string[] {
    const backup = this.spec.backup ? [this.spec.backup] : [];
    return [...this.spec.postgres, ...this.spec.pgpools, ...this.spec.haproxies, ...backup].map((n) => n.id).sort();
  }

  /** Waits until every service runs and every one with a healthcheck is healthy. */
  async waitHealthy(timeoutMs = 180_000): Promise<ContainerState[]> {
    const deadline = Date.now() + timeoutMs;
    let last: ContainerState[] = [];
    for (;;) {
      last = await this.containers();
      const ready = last.length === this.serviceIds().length && last.every((c) => c.status === 'running' && (c.health === '' || c.health === 'healthy'));
      if (ready) return last;
      if (Date.now() > deadline) {
        const logs = await this.compose(['logs', '--tail=30']).catch((e: Error) => ({ stdout: e.message }));
        throw new Error(`${this.project} not healthy within ${timeoutMs} ms: ${JSON.stringify(last)}\n${logs.stdout}`);
      }
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }

  /** `up -d` then every service healthy; returns the seconds it took. */
  async up(): Promise<number> {
    const started = Date.now();
    await this.compose(['up', '-d']);
    await this.waitHealthy();
    return (Date.now() - started) / 1000;
  }

  async down(): Promise<void> {
    await this.compose(['down', '-v', '--remove-orphans'], 180_000);
  }

  /** psql as the superuser over the primary's (or a node's) socket, inside its container. */
  async psql(service: string, sqlText: string, database = 'postgres'): Promise<string> {
    const node = this.spec.postgres.find((n) => n.id === service);
    if (!node) throw new Error(`no PostgreSQL node ${service}`);
    const where = ['-h', node.paths.socketDir, '-p', String(node.port.listenPort)];
    const { stdout } = await this.compose(['exec', '-T', service, 'psql', '-XAtq', ...where, '-U', this.spec.roles.superuser.name, '-d', database, '-c', sqlText]);
    return stdout.trim();
  }

  /** A node-postgres connection to a published port of this cluster, as the primary's owner role. */
  app(port: number): ConnConfig {
    const primary = this.spec.postgres.find((n) => n.primary)!;
    const owner = primary.primary!.owner;
    return { host: '127.0.0.1', port, user: owner.name, password: this.passwords[owner.passwordEnv]!, database: primary.primary!.database };
  }

  hostPort(id: string): number {
    const node = [...this.spec.postgres, ...this.spec.pgpools].find((n) => n.id === id);
    if (!node) throw new Error(`no node ${id}`);
    return node.port.hostPort;
  }
}
