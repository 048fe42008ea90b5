// An invariant of pgsynth itself failed: a bug to report, never a mistake in the user's config.

/** The code every internal error carries. */
export const INTERNAL_ERROR_CODE = 'PGS999';

const REPORT = 'this is a pgsynth bug, not a mistake in your config: please report it with your cluster.config.ts (PGSYNTH_DEBUG=1 prints the stack)';

export class PgsynthInternalError extends Error {
  readonly code = INTERNAL_ERROR_CODE;
  readonly fix = REPORT;

  constructor(what: string, cause: unknown) {
    super(`${INTERNAL_ERROR_CODE}: internal error while ${what}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'PgsynthInternalError';
  }
}

/** Runs `fn`, turning anything it throws into a PgsynthInternalError that says what was being done. */
export function internal<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof PgsynthInternalError) throw error;
    throw new PgsynthInternalError(what, error);
  }
}
