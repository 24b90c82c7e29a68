import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // CI reads the plain "N passed, N failed" line printed by the summary reporter; the progress reporter says on
    // stderr which files are done and which are still running (a full run takes minutes).
    reporters: ['default', './test/support/progress-reporter.ts', './test/support/summary-reporter.ts'],
  },
});
