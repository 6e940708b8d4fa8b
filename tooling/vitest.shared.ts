import { defineProject } from 'vitest/config';

/**
 * Shared per-package test settings. The `@rpdl/source` export condition makes workspace
 * packages resolve to their TypeScript sources, so tests run on a clean clone without a build.
 */
export function packageTestConfig(name: string, overrides: { testTimeout?: number } = {}) {
  return defineProject({
    resolve: { conditions: ['@rpdl/source'] },
    ssr: { resolve: { conditions: ['@rpdl/source'] } },
    test: {
      name,
      environment: 'node',
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: overrides.testTimeout ?? 60_000,
      pool: 'forks',
    },
  });
}
