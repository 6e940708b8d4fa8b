import { packageBuildConfig } from '../../tooling/tsup.config.ts';

// The CLI entry is separate so that importing the library never parses argv or touches stdout.
// `run-worker` is the module `--jobs` forks, located from `import.meta.url` (the CommonJS build
// gets it from the shim).
export default packageBuildConfig({
  entry: { index: 'src/index.ts', cli: 'src/cli/main.ts', 'run-worker': 'src/runs/run-worker.ts' },
  importMetaUrlShim: 'src/import-meta-url-shim.ts',
});
