// One line per step of `synth up` / `synth down`, with how long it took.

export type ProgressSink = (line: string) => void;

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

export class Progress {
  constructor(private readonly sink: ProgressSink = () => {}) {}

  /** Runs `fn`, then prints `✓ label (0.42 s)`, or `✗ label failed after 0.42 s` and rethrows. */
  async step<T>(label: string, fn: () => Promise<T> | T): Promise<T> {
    const started = performance.now();
    try {
      const value = await fn();
      this.sink(`✓ ${label} (${formatSeconds(performance.now() - started)})`);
      return value;
    } catch (error) {
      this.sink(`✗ ${label} failed after ${formatSeconds(performance.now() - started)}`);
      throw error;
    }
  }

  /** A line without a duration, e.g. `· pg-primary already running (pid 123)`. */
  note(line: string): void {
    this.sink(`· ${line}`);
  }

  line(line: string): void {
    this.sink(line);
  }
}
