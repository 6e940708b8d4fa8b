import { packageBuildConfig } from '../../tooling/tsup.config.ts';

// The CLI entry is separate so that importing the library never parses argv or touches stdout.
// `run-worker` is the module `--jobs` forks; `shims` gives the CommonJS build the
// `import.meta.url` it is located from.
export default packageBuildConfig({
  entry: { index: 'src/index.ts', cli: 'src/cli/main.ts', 'run-worker': 'src/runs/run-worker.ts' },
  shims: true,
});
