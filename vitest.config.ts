import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/support/summary-reporter.js';

/**
 * `npm run test:unit` sets PGSYNTH_TEST_SCOPE=unit: the files below, which exist to run real
 * servers, tools or npm, are left out, and the tests elsewhere that need a real binary report
 * themselves skipped (test/support/binaries.ts). `npm test` runs everything.
 */
const UNIT_SCOPE = process.env.PGSYNTH_TEST_SCOPE === 'unit';
const REAL_PROCESS_FILES = [
  'test/e2e/**',
  'test/compose/**',
  'test/backup/pitr.test.ts',
  'test/docs/docs-suite.test.ts',
  'test/process/stack.test.ts',
  'test/process/failures.test.ts',
  'test/render/postgres/real-cluster.test.ts',
  'test/render/postgres/primary-entrypoint.test.ts',
  'test/settings/string-checks.test.ts',
  'test/golden/real-tools.test.ts',
  'test/package/consumer.test.ts',
  'test/writer/crash.test.ts',
  'test/docs/config-docs.test.ts',
];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...(UNIT_SCOPE ? REAL_PROCESS_FILES : [])],
    // Most of the suite waits on child processes (servers starting, base backups, docker-compose),
    // not on the CPU, so vitest's default of one worker per core but one leaves a 2-core machine
    // running one file at a time. Every test takes free ports and its own temp directory.
    maxWorkers: Math.max(3, availableParallelism()),
    testTimeout: 20_000,
    hookTimeout: 120_000,
    globalSetup: ['test/support/private-tmpdir.ts'],
    reporters: ['default', new SummaryReporter()],
  },
});
