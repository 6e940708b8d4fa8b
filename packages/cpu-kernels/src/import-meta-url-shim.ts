// Injected into the CommonJS build only (see tsup.config.ts), where `import.meta.url`, which
// the addon loader resolves from, does not exist. This package's own shim rather than tsup's
// keeps the build's source map free of paths into the build machine's node_modules.
import { pathToFileURL } from 'node:url';

/** The URL of the CommonJS bundle, standing in for `import.meta.url`. */
export const importMetaUrl: string = pathToFileURL(__filename).href;
