import type { z } from 'zod';
import { PgsynthError, type Diagnostic, type SourceLocation } from '../diagnostic.js';
import { captureCallSite } from './source-location.js';

/** Code of every props error raised at construction (wrong type, out of range, unknown key). */
export const INVALID_PROPS = 'PGS001';

/**
 * What every construct shares: its id (the service and host name), its construct path
 * (`cluster/id`, how every message names it) and where the user created it.
 */
export abstract class ConstructNode {
  readonly id: string;
  readonly path: string;
  readonly source: SourceLocation | undefined;

  /** Warnings accepted on this construct: rule code → the reason (see `acknowledge`). */
  readonly acknowledged: ReadonlyMap<string, string> = new Map();

  protected constructor(scopePath: string | undefined, id: string) {
    this.id = id;
    this.path = scopePath ? `${scopePath}/${id}` : id;
    this.source = captureCallSite();
  }

  /**
   * Accepts a warning of rule `code` on this construct, with the reason, so validate and synth no
   * longer print it (docs/rules.md: acknowledging a warning). An error cannot be acknowledged
   * (PGS002), and an acknowledgment no warning needs is reported (PGS003), so none outlives its
   * reason unseen.
   */
  acknowledge(code: string, reason: string): this {
    (this.acknowledged as Map<string, string>).set(code, reason);
    return this;
  }

  /** Parses props with a zod schema, throwing one PgsynthError that lists every problem. */
  protected parseProps<S extends z.ZodType>(schema: S, props: unknown): z.output<S> {
    const result = schema.safeParse(props ?? {});
    if (result.success) return result.data;
    throw new PgsynthError(result.error.issues.map((issue) => this.propsDiagnostic(issue)));
  }

  private propsDiagnostic(issue: z.core.$ZodIssue): Diagnostic {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const field = [...issue.path.map(String), ...(keys.length === 1 ? keys : [])].join('.');
    const fix =
      issue.code === 'unrecognized_keys'
        ? `remove ${keys.map((k) => `'${k}'`).join(', ')} or check its spelling against docs/configuration.md`
        : `correct '${field || 'props'}' (see docs/configuration.md)`;
    return {
      code: INVALID_PROPS,
      severity: 'error',
      path: this.path,
      field,
      message: `${issue.message} (${issue.code})`,
      fix,
      ...(this.source ? { source: this.source } : {}),
    };
  }
}
