// Limits the server enforces in its GUC check hooks, which pg_settings' min_val/max_val do not show.
// Each one was observed with `postgres -C` refusing a value inside the catalog's range.
import type { PostgresMajor } from './catalog.js';

export interface HookProblem {
  /** out-of-range → PGS304, invalid → PGS302, unsupported → PGS310. */
  kind: 'out-of-range' | 'invalid' | 'unsupported';
  /** Follows "is out of range for PostgreSQL N: ", "is invalid: " or "is not supported: ". */
  detail: string;
  fix: string;
}

/** PostgreSQL 17's SLRU caches are allocated in banks of 16 buffers (check_slru_buffers). */
const SLRU_BUFFERS = new Set([
  'commit_timestamp_buffers', 'multixact_member_buffers', 'multixact_offset_buffers', 'notify_buffers',
  'serializable_buffers', 'subtransaction_buffers', 'transaction_buffers',
]);
const SLRU_BANK_SIZE = 16;

/**
 * max_stack_depth must stay 512kB below the stack size limit; with the usual 8MB limit
 * (`ulimit -s 8192`, also the default in containers) that is 7680kB.
 */
export const MAX_STACK_DEPTH_KB = 7680;

/** `value` is the parsed value: in the parameter's base unit for numbers, the boolean, or the string. */
export function checkHooks(major: PostgresMajor, name: string, value: number | boolean | string): HookProblem | null {
  if (name === 'vacuum_buffer_usage_limit' && typeof value === 'number' && value !== 0 && value < 128) {
    return { kind: 'out-of-range', detail: 'it must be 0 or between 128kB and 16GB', fix: "use 0 (no limit) or at least '128kB'" };
  }
  if (major >= 17 && SLRU_BUFFERS.has(name) && typeof value === 'number' && value % SLRU_BANK_SIZE !== 0) {
    const lower = Math.floor(value / SLRU_BANK_SIZE) * SLRU_BANK_SIZE;
    const choices = lower > 0 ? `${lower} or ${lower + SLRU_BANK_SIZE}` : String(SLRU_BANK_SIZE);
    return { kind: 'out-of-range', detail: `it must be a multiple of ${SLRU_BANK_SIZE}`, fix: `use ${choices}` };
  }
  if (name === 'max_stack_depth' && typeof value === 'number' && value > MAX_STACK_DEPTH_KB) {
    return {
      kind: 'out-of-range',
      detail: `it must stay 512kB below the stack size limit: at most ${MAX_STACK_DEPTH_KB}kB with the usual 8MB (ulimit -s 8192)`,
      fix: `use at most '${MAX_STACK_DEPTH_KB}kB'`,
    };
  }
  if (name === 'bonjour' && value === true) {
    return {
      kind: 'unsupported',
      detail: 'PostgreSQL builds for Linux have no Bonjour support ("Bonjour is not supported by this build")',
      fix: 'remove it, or set it to false',
    };
  }
  return null;
}
