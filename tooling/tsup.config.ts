import { defineConfig, type Options } from 'tsup';

/** Options of {@link packageBuildConfig} beyond tsup's own. */
export interface PackageBuildOptions extends Options {
  /**
   * A module of the package that exports `importMetaUrl` (the CommonJS bundle's file URL), for
   * packages whose code resolves files from `import.meta.url`, which CommonJS lacks. The
   * package's own module rather than tsup's `shims` keeps the source maps free of paths into the
   * build machine's node_modules.
   */
  importMetaUrlShim?: string;
}

/**
 * The one build configuration every package shares: ESM + CJS from the same sources,
 * bundled declarations for both, source maps, no minification (readable stack traces
 * matter more than bytes for a numerical library).
 */
export function packageBuildConfig({ importMetaUrlShim, ...overrides }: PackageBuildOptions = {}) {
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
    ...(importMetaUrlShim === undefined
      ? {}
      : {
          esbuildOptions(options, { format }) {
            if (format !== 'cjs') return;
            options.inject = [...(options.inject ?? []), importMetaUrlShim];
            options.define = { ...options.define, 'import.meta.url': 'importMetaUrl' };
          },
        }),
    ...overrides,
  });
}
