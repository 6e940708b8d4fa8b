import { defineProject } from 'vitest/config';

// The repository's own tooling (doc-test and packaging checks).
export default defineProject({
  test: {
    name: 'tooling',
    environment: 'node',
    include: ['**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
