import { packageBuildConfig } from '../../tooling/tsup.config.ts';

// `shims` gives the CommonJS build an `import.meta.url`, which the addon loader resolves from.
export default packageBuildConfig({ shims: true });
