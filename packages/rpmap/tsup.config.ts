import { packageBuildConfig } from '../../tooling/tsup.config.ts';

// Two entries so that the core (typed arrays) never loads tfjs; `./tensor` does.
export default packageBuildConfig({ entry: ['src/index.ts', 'src/tensor.ts'] });
