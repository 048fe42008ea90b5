// HAProxy time values ('500ms', '5s', '30m', '1h', '1d'); the builder's regex guarantees the form.

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function durationMs(text: string): number | null {
  const match = /^(\d+)(us|ms|s|m|h|d)$/.exec(text);
  if (!match) return null;
  return Number(match[1]) * (UNIT_MS[match[2] as string] ?? NaN);
}
