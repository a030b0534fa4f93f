import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The JSON report lets .ci/run print a plain "N passed, N failed" line that any CI reader understands.
    reporters: ['default', 'json'],
    outputFile: { json: './coverage/vitest-results.json' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.test.ts', 'src/**/testing/**', 'src/cli/main.ts'],
      thresholds: { lines: 90 },
      reporter: ['text-summary', 'json-summary'],
    },
  },
});
