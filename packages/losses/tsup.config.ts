import { packageBuildConfig } from '../../tooling/tsup.config.ts';

// Two entries so that the typed-array metrics (`./metrics`) never load tfjs.
export default packageBuildConfig({ entry: ['src/index.ts', 'src/metrics.ts'] });
