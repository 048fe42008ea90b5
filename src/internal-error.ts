// An invariant of pgsynth itself failed: a bug to report, never a mistake in the user's config.

import { hasBrand, setBrand } from './brand.js';

/** The code every internal error carries. */
export const INTERNAL_ERROR_CODE = 'PGS999';

const REPORT = 'this is a pgsynth bug, not a mistake in your config: please report it with your cluster.config.ts (PGSYNTH_DEBUG=1 prints the stack)';

export class PgsynthInternalError extends Error {
  readonly code = INTERNAL_ERROR_CODE;
  readonly fix = REPORT;

  constructor(what: string, cause: unknown) {
    super(`${INTERNAL_ERROR_CODE}: internal error while ${what}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'PgsynthInternalError';
    setBrand(this, 'PgsynthInternalError');
  }

  /** Whether `x` is a PgsynthInternalError, thrown by this copy of pgsynth or by another one a config loaded. */
  static isInternalError(x: unknown): x is PgsynthInternalError {
    return hasBrand(x, 'PgsynthInternalError');
  }
}

/** Runs `fn`, turning anything it throws into a PgsynthInternalError that says what was being done. */
export function internal<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (PgsynthInternalError.isInternalError(error)) throw error;
    throw new PgsynthInternalError(what, error);
  }
}
