import { packageBuildConfig } from '../../tooling/tsup.config.ts';

// The CommonJS build gets an `import.meta.url` (the addon loader resolves from it) from the
// package's own shim, so its source map names only files of this package.
export default packageBuildConfig({
  esbuildOptions(options, { format }) {
    if (format !== 'cjs') return;
    options.inject = [...(options.inject ?? []), 'src/import-meta-url-shim.ts'];
    options.define = { ...options.define, 'import.meta.url': 'importMetaUrl' };
  },
});
