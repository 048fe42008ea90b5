import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends the run with each test skipped for a reason (`skipped: <reason>` and how many tests it skipped, a missing
 * optional binary for instance) and the plain `N passed, N failed, N skipped` line that CI reads
 * to count tests (vitest's own summary has another shape).
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const reasons = new Map<string, string[]>();
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === 'passed' || result.state === 'failed' || result.state === 'skipped') counts[result.state] += 1;
        if (result.state === 'skipped' && result.note) reasons.set(result.note, [...(reasons.get(result.note) ?? []), test.fullName]);
      }
    }
    const listed = [...reasons].map(([note, tests]) => `\nskipped: ${note}\n  ${tests.length} test(s), e.g. ${tests[0]}`).join('');
    process.stdout.write(`${listed}\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  }
}
