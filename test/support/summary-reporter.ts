import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends the run with each reason tests were skipped for (`skipped: <reason>`, a missing optional
 * binary for instance) and the plain `N passed, N failed, N skipped` line that CI reads to count
 * tests (vitest's own summary has another shape). A suite or file whose hook or import failed
 * counts as one failure: its tests show as skipped, but the run failed there.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const reasons = new Map<string, string[]>();
    const broken: string[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === 'passed' || result.state === 'failed' || result.state === 'skipped') counts[result.state] += 1;
        if (result.state === 'skipped' && result.note) reasons.set(result.note, [...(reasons.get(result.note) ?? []), test.fullName]);
      }
      for (const suite of [module, ...module.children.allSuites()]) {
        const [error] = suite.errors();
        if (!error) continue;
        counts.failed += 1;
        const name = suite.type === 'module' ? suite.moduleId : suite.fullName;
        broken.push(`failed: ${name}: ${String(error.message).split('\n')[0]}`);
      }
    }
    const listed = [...reasons].map(([note, tests]) => `\nskipped: ${note}\n  ${tests.length} test(s), e.g. ${tests[0]}`).join('');
    const failures = broken.length ? `\n${broken.join('\n')}` : '';
    process.stdout.write(`${listed}${failures}\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  }
}
