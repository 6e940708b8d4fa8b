import { existsSync } from 'node:fs';
import { writeFileAtomic } from '@rpdl/atomic-fs';
import { loadNpy, MAX_LABEL, normalizeInput, saveNpy } from '@rpdl/cm-dataset';
import { binarize } from '@rpdl/losses/metrics';
import { tensor } from '@tensorflow/tfjs-core';
import { describeBackend } from '../../platform/backend.js';
import { composePanel, labelTile, middleSlice, overlayTile } from '../../report/panels.js';
import { encodePng } from '../../report/png.js';
import { standardizeVolume } from '../../runs/dataset-source.js';
import { predictVolume } from '../../runs/run-training.js';
import { activateBackend } from '../activate-backend.js';
import { BACKEND_NAMES, type PredictArgs, parseChoice, stringOption } from '../args.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import type { Command } from '../spec.js';
import { loadTrainedModel } from './trained-model.js';

function checkSpatialShape(
  shape: readonly number[],
  expected: readonly [number, number, number],
  path: string,
): void {
  const squeezed = shape.filter(
    (n, i) => !(n === 1 && (i === 0 || i === shape.length - 1) && shape.length > 3),
  );
  if (squeezed.length !== 3 || squeezed.some((n, i) => n !== expected[i])) {
    throw new UsageError(
      `${path} has shape [${shape}]; the model takes one [${expected}] label volume (optionally with leading/trailing 1)`,
    );
  }
}

/**
 * `rpdl predict`: the drilled region a trained model predicts for a new bone, as .npy (uint8 0/1)
 * plus a PNG preview of the middle slice (prediction in red over the labels). `--model` is a run
 * directory or a directory written by `rpdl export`.
 *
 * @example
 * await predict({ command: 'predict', model: 'runs/quick/runs/exp1/unet3d/rpdl/fold-0', input: 'bone.npy', backend: 'cpu' }, io);
 */
export async function predict(args: PredictArgs, io: CliIo): Promise<number> {
  if (!existsSync(args.input)) {
    throw new UsageError(`--input ${args.input} does not exist; expected a .npy label volume`);
  }
  const input = await loadNpy(args.input);
  const backend = await activateBackend(args.backend, io);
  const { network, id, spatialShape, input: inputRule } = await loadTrainedModel(args.model);
  try {
    checkSpatialShape(input.shape, spatialShape, args.input);
    const prepared =
      inputRule === 'standardized' ? standardizeVolume(input.data) : normalizeInput(input.data);
    const x = tensor(prepared, [1, ...spatialShape, 1]);
    const prediction = binarize(predictVolume(network, x));
    x.dispose();
    const output = args.output ?? args.input.replace(/(\.npy)?$/, '.prediction.npy');
    await saveNpy(output, {
      dtype: 'uint8',
      shape: [...spatialShape],
      data: prediction,
      fortranOrder: false,
    });
    const [, h, w] = spatialShape;
    const labels = middleSlice(input.data, spatialShape);
    const panel = composePanel(
      [
        labelTile('input', labels, w, h, MAX_LABEL),
        overlayTile('prediction', labels, middleSlice(prediction, spatialShape), w, h, MAX_LABEL),
      ],
      Math.max(1, Math.floor(256 / w)),
    );
    const preview = output.replace(/\.npy$/, '.png');
    await writeFileAtomic(preview, encodePng(panel));
    const voxels = prediction.reduce((n, v) => n + v, 0);
    io.stdout.write(
      `${id} on ${describeBackend(backend)}: ${voxels} voxel(s) drilled (${((100 * voxels) / prediction.length).toFixed(2)} %)\nwritten: ${output}, ${preview}\n`,
    );
    return 0;
  } finally {
    network.model.dispose();
  }
}

/** `rpdl predict`: the command's spec, parser and handler. */
export const predictCommand: Command<PredictArgs> = {
  name: 'predict',
  summary: "a trained model's prediction for one label volume (.npy + PNG preview)",
  synopsis: 'predict --model <dir> --input <file.npy> [options]',
  options: {
    model: {
      type: 'string',
      value: '<dir>',
      help: 'a run directory (its best weights) or a directory written by rpdl export (required)',
    },
    input: { type: 'string', value: '<file.npy>', help: 'one label volume 0..13 (required)' },
    output: {
      type: 'string',
      value: '<file.npy>',
      help: 'where the uint8 prediction goes (default <input>.prediction.npy)',
    },
    backend: {
      type: 'string',
      value: BACKEND_NAMES.join('|'),
      help: 'default auto: the fastest installed',
    },
  },
  parse({ values }) {
    const model = stringOption(values, 'model');
    const input = stringOption(values, 'input');
    if (model === undefined) {
      throw new UsageError(
        '--model <dir> is required; expected a run directory or an exported model',
      );
    }
    if (input === undefined) {
      throw new UsageError('--input <file.npy> is required; expected one label volume');
    }
    const args: PredictArgs = {
      command: 'predict',
      model,
      input,
      backend: parseChoice('--backend', stringOption(values, 'backend') ?? 'auto', BACKEND_NAMES),
    };
    const output = stringOption(values, 'output');
    if (output !== undefined) args.output = output;
    return args;
  },
  run: predict,
};
