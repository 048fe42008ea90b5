import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configPlan } from './config-arbitrary.js';
import { gate, replay, type Outcome } from './gate.js';

// The gate contract over random configs: either the builders or `validate` refuse a config with
// diagnostics that carry a code, a construct path and a fix, or `synth` renders it without an
// exception, and renders it the same way twice. A failure prints fast-check's seed and path;
// PGSYNTH_FC_SEED=<seed> PGSYNTH_FC_PATH=<path> npx vitest run test/gate/property.test.ts replays it.

const RUNS = Number(process.env.PGSYNTH_FC_RUNS ?? 10_000);

describe('random configs through the gate', () => {
  it(`refuses with a code, path and fix, or synthesizes deterministically (${RUNS} configs)`, () => {
    const counts: Record<Outcome, number> = { 'refused at construction': 0, 'refused by validate': 0, synthesized: 0 };
    const codes = new Map<string, number>();
    const started = performance.now();
    fc.assert(
      fc.property(configPlan(), (plan) => {
        const first = gate(plan);
        counts[first.outcome]++;
        for (const code of first.codes) codes.set(code, (codes.get(code) ?? 0) + 1);
        // Deterministic: a second build of the same plan renders byte for byte the same files
        // (every fourth accepted config, to keep the run short).
        if (first.outcome === 'synthesized' && counts.synthesized % 4 === 1) expect(gate(plan).files).toEqual(first.files);
      }),
      { numRuns: RUNS, ...replay },
    );
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const top = [...codes].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([c, n]) => `${c}×${n}`).join(' ');
    console.log(`gate property: ${RUNS} configs in ${seconds} s: ${JSON.stringify(counts)}; refusals by code: ${top}`);
    expect(counts.synthesized).toBeGreaterThan(RUNS / 20);
  }, 600_000);
});

describe('a failure reproduces from what fast-check prints', () => {
  it('replays the same shrunk config from the printed seed and path', () => {
    // A stand-in failure: any accepted config with two replicas.
    const property = fc.property(configPlan([15]), (plan) => gate(plan).outcome !== 'synthesized' || plan.replicas.length < 2);
    const first = fc.check(property, { numRuns: 500, seed: 11 });
    expect(first.failed).toBe(true);
    const again = fc.check(property, { numRuns: 500, seed: first.seed, path: first.counterexamplePath! });
    expect(fc.stringify(again.counterexample)).toBe(fc.stringify(first.counterexample));
    expect(fc.defaultReportMessage(first)).toContain(`seed: ${first.seed}, path: "${first.counterexamplePath}"`);
  });
});
