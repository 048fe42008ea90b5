/**
 * Errors of the local runtime. Each carries what a user needs to act on it,
 * so the CLI can print `message` and `fix` without a stack trace.
 */

/** A prerequisite is missing or unusable (binary, OS user, version). */
export class LocalSetupError extends Error {
  override readonly name = 'LocalSetupError';
  constructor(
    readonly code: string,
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

/**
 * A tool or server we ran failed. `logTail` holds the end of its output and
 * is part of `message`; `fix` says where to look next.
 */
export class LocalRunError extends Error {
  override readonly name = 'LocalRunError';
  readonly logTail: string;
  readonly fix: string;
  constructor(readonly code: string, message: string, details: { logTail?: string; fix?: string } = {}) {
    const logTail = details.logTail ?? '';
    super(logTail ? `${message}\n--- last output ---\n${logTail}` : message);
    this.logTail = logTail;
    this.fix = details.fix ?? 'Read the output above.';
  }
}
