import { packageBuildConfig } from '../../tooling/tsup.config.ts';

export default packageBuildConfig();
