import { join } from 'node:path';
import { describeBackend } from '../../platform/backend.js';
import { fileSystemModelIO, SAVED_MODEL_FILES } from '../../runs/saved-model.js';
import { activateBackend } from '../activate-backend.js';
import { BACKEND_NAMES, type ExportArgs, parseChoice, stringOption } from '../args.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { prepareOutputDirectory } from '../output-dir.js';
import type { Command } from '../spec.js';
import { exportMetadata, loadRunModel } from './trained-model.js';

/**
 * `rpdl export`: writes a run's best weights as a tfjs LayersModel (`model.json` + `weights.bin`)
 * that `tf.loadLayersModel` reads after `import '@rpdl/models-3d/register'`.
 *
 * @example
 * await exportModel({ command: 'export', run: 'runs/quick/runs/exp1/unet3d/rpdl/fold-0', out: 'exported/unet', backend: 'cpu' }, io);
 */
export async function exportModel(args: ExportArgs, io: CliIo): Promise<number> {
  const backend = await activateBackend(args.backend, io);
  const trained = await loadRunModel(args.run);
  const { model } = trained.network;
  const { id } = trained;
  try {
    await prepareOutputDirectory(args.out);
    model.setUserDefinedMetadata(exportMetadata(trained));
    await model.save(fileSystemModelIO(args.out));
  } finally {
    model.dispose();
  }
  io.stdout.write(
    `${id} (on ${describeBackend(backend)}): best weights written as a tfjs LayersModel to ${join(args.out, SAVED_MODEL_FILES.model)} and ${SAVED_MODEL_FILES.weights}\n` +
      `load it with tf.loadLayersModel after import '@rpdl/models-3d/register' (rpdl's 3D layers), or: rpdl predict --model ${args.out}\n`,
  );
  return 0;
}

/** `rpdl export`: the command's spec, parser and handler. */
export const exportCommand: Command<ExportArgs> = {
  name: 'export',
  summary: "a run's best weights as a tfjs LayersModel (model.json + weights.bin)",
  synopsis: 'export <run dir> --out <dir>',
  positionals: [
    { name: '<run dir>', help: 'a run directory, e.g. runs/quick/runs/exp1/unet3d/rpdl/fold-0' },
  ],
  options: {
    out: { type: 'string', value: '<dir>', help: 'where model.json and weights.bin go (required)' },
    backend: {
      type: 'string',
      value: BACKEND_NAMES.join('|'),
      help: 'default auto: the fastest installed (the files do not depend on it)',
    },
  },
  notes: `Loading the model needs rpdl's 3D layer classes registered first:
  import '@rpdl/models-3d/register';
  const model = await tf.loadLayersModel('http://…/model.json');`,
  parse({ values, positionals }) {
    const [run] = positionals;
    if (run === undefined) {
      throw new UsageError(
        'missing the run directory; expected e.g. rpdl export runs/quick/runs/exp1/unet3d/rpdl/fold-0 --out model',
      );
    }
    const out = stringOption(values, 'out');
    if (out === undefined)
      throw new UsageError('--out <dir> is required; expected the directory for model.json');
    return {
      command: 'export',
      run,
      out,
      backend: parseChoice('--backend', stringOption(values, 'backend') ?? 'auto', BACKEND_NAMES),
    };
  },
  run: exportModel,
};
