import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // CI reads the plain "N passed, N failed" line printed by the summary reporter.
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
