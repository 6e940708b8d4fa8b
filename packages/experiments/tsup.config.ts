import { packageBuildConfig } from '../../tooling/tsup.config.ts';

// The CLI entry is separate so that importing the library never parses argv or touches stdout.
export default packageBuildConfig({ entry: { index: 'src/index.ts', cli: 'src/cli/main.ts' } });
