import { defineConfig } from 'vitest/config';

// `pnpm test` runs every package's and example's tests in one vitest process (one summary);
// `turbo run test --filter <pkg>` runs a single package with its own config.
export default defineConfig({
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      'examples/*/vitest.config.ts',
      'tooling/vitest.config.ts',
    ],
    reporters: ['default', './tooling/summary-reporter.ts'],
  },
});
