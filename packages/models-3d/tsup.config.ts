import { packageBuildConfig } from '../../tooling/tsup.config.ts';

// `register` is its own entry so that importing '@rpdl/models-3d/register' alone registers the
// gradient and layer classes.
export default packageBuildConfig({ entry: ['src/index.ts', 'src/register.ts'] });
