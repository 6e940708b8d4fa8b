import { type BackendSelection, selectBackend } from '../platform/backend.js';
import type { BackendName } from './args.js';
import type { CliIo } from './io.js';

/**
 * Activates the backend a command asked for (`--backend`), with the invocation's module importer,
 * and shows the selection's warning (training on the stock cpu kernels) on the command's stderr.
 *
 * @example
 * const backend = await activateBackend(args.backend, io);
 * io.stdout.write(`backend: ${describeBackend(backend)}\n`);
 */
export async function activateBackend(
  requested: BackendName,
  io: CliIo,
): Promise<BackendSelection> {
  const selection = await selectBackend(requested, io.importer ? { importer: io.importer } : {});
  if (selection.warning) io.stderr.write(`${selection.warning}\n`);
  return selection;
}
