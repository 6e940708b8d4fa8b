import { packageBuildConfig } from '../../tooling/tsup.config.ts';

export default packageBuildConfig({ entry: ['src/index.ts', 'src/cli.ts'] });
