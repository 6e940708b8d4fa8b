import { packageBuildConfig } from '../../tooling/tsup.config.ts';

// The addon loader resolves from `import.meta.url`; the CommonJS build gets it from the shim.
export default packageBuildConfig({ importMetaUrlShim: 'src/import-meta-url-shim.ts' });
