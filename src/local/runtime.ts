import { existsSync, rmSync } from 'node:fs';
import type { ClusterSpec, PostgresNodeSpec } from '../model/spec.js';
import type { ServerProcess } from '../process/processes.js';
import type { RunAs } from '../process/run-as.js';
import type { PgConn } from '../process/sql.js';
import type { LocalLayout } from './layout.js';
import type { Progress } from './progress.js';
import { superuserConn } from './superuser-conn.js';
import { secretValue, type LocalSecrets } from './secrets.js';
import { isServiceRunning, readState, writeState, type LocalState, type ServiceKind, type ServiceRecord } from './state.js';
import type { Toolchain } from './toolchain.js';

/**
 * Everything the steps of `synth up` share: the spec as it runs here, the binaries, who runs
 * them, the passwords, and the record of what runs (kept on disk after every change).
 */
export class LocalRuntime {
  private state: LocalState;
  /** Services this runtime started, newest last: what a failed `up` stops again. */
  readonly startedHere: string[] = [];

  constructor(
    readonly spec: ClusterSpec,
    readonly layout: LocalLayout,
    readonly toolchain: Toolchain,
    readonly runAs: RunAs,
    readonly secrets: LocalSecrets,
    readonly progress: Progress,
  ) {
    this.state = readState(layout.stateFile) ?? { cluster: spec.id, localDir: layout.root, services: [] };
  }

  /** Re-reads the state file: another process may have stopped or started services. */
  refresh(): void {
    this.state = readState(this.layout.stateFile) ?? { cluster: this.spec.id, localDir: this.layout.root, services: [] };
  }

  /** The record of a running service, or undefined when it is stopped (or never started). */
  running(id: string): ServiceRecord | undefined {
    const record = this.state.services.find((s) => s.id === id);
    return record && isServiceRunning(record) ? record : undefined;
  }

  /** Records a server this run started: what `status`, `down` and the next `up` find by pid. */
  recordStarted(id: string, kind: ServiceKind, server: ServerProcess, ports: number[]): void {
    this.record({
      id,
      kind,
      pid: server.pid,
      ...(server.startTime === undefined ? {} : { startTime: server.startTime }),
      pidFile: server.pidFile,
      logFile: server.logFile,
      ports,
      startedAt: new Date().toISOString(),
    });
  }

  record(record: ServiceRecord): void {
    this.state.services = [...this.state.services.filter((s) => s.id !== record.id), record];
    this.startedHere.push(record.id);
    this.save();
  }

  forget(id: string): void {
    this.state.services = this.state.services.filter((s) => s.id !== id);
    this.save();
  }

  records(): ServiceRecord[] {
    return [...this.state.services];
  }

  private save(): void {
    if (existsSync(this.layout.root)) writeState(this.layout.stateFile, this.state);
  }

  password(env: string): string {
    return secretValue(this.secrets, env);
  }

  /** src/local/superuser-conn.ts on this runtime's spec. */
  superuserConn(node: PostgresNodeSpec, extra: Partial<PgConn> = {}): PgConn {
    return superuserConn(this.spec, node, extra);
  }

  node(id: string): PostgresNodeSpec {
    const node = this.spec.postgres.find((n) => n.id === id);
    if (!node) throw new Error(`no PostgreSQL node '${id}' in cluster ${this.spec.id}`);
    return node;
  }
}

/** Removes a folder left half-made by a failed initdb or base backup, so the next run starts clean. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
