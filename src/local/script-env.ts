import { PG_BIN_VARIABLE } from '../render/container-shell.js';
import type { LocalRuntime } from './runtime.js';

/** The generated scripts' input naming the toolchain's PostgreSQL binaries (they default to Debian's). */
export function postgresBinEnv(ctx: LocalRuntime): Record<string, string> {
  return { [PG_BIN_VARIABLE]: ctx.toolchain.postgres.binDir };
}
