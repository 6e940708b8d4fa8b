import { defineConfig, type Options } from 'tsup';

/**
 * The one build configuration every package shares: ESM + CJS from the same sources,
 * bundled declarations for both, source maps, no minification (readable stack traces
 * matter more than bytes for a numerical library).
 */
export function packageBuildConfig(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    target: 'node20',
    platform: 'node',
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: true,
    outDir: 'dist',
    ...overrides,
  });
}
