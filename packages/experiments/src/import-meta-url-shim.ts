// Injected into the CommonJS build only (see tsup.config.ts), where `import.meta.url`, which
// `--jobs` locates its worker entry from, does not exist.
import { pathToFileURL } from 'node:url';

/** The URL of the CommonJS bundle, standing in for `import.meta.url`. */
export const importMetaUrl: string = pathToFileURL(__filename).href;
