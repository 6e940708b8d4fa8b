import { packageBuildConfig } from '../../tooling/tsup.config.ts';

// One bundle: './register' resolves to the same dist files as '.', so the layer classes and
// the gradient exist (and are registered) once however the package is imported.
export default packageBuildConfig();
