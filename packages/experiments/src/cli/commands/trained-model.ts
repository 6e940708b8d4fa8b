import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { SegmentationNetwork } from '@rpdl/models-3d';
import { loadCheckpoint, writeModelWeights } from '@rpdl/training';
import { dispose, type Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { RUN_FILES } from '../../runs/run-dir.js';
import { buildFromConfig, type RunConfig } from '../../runs/run-training.js';
import { isSavedModelDirectory, loadSavedModel } from '../../runs/saved-model.js';
import { UsageError } from '../errors.js';

/** A model ready to predict, from a run directory or an exported model directory. */
export interface TrainedModel {
  network: Pick<SegmentationNetwork, 'model' | 'segment'>;
  /** The run id, or the exported directory's name. */
  id: string;
  spatialShape: [number, number, number];
  /** How the input volume is normalised (see `RunConfig.input`). */
  input: 'cm-labels' | 'standardized';
}

async function readRunConfig(dir: string, flag: string | undefined): Promise<RunConfig> {
  const configPath = join(dir, RUN_FILES.config);
  try {
    return JSON.parse(await readFile(configPath, 'utf8')) as RunConfig;
  } catch {
    throw new UsageError(
      flag === undefined
        ? `${dir} is not a run directory (no readable ${RUN_FILES.config}); expected e.g. runs/quick/runs/exp1/unet3d/rpdl/fold-0`
        : `${flag} ${dir} is neither a run directory (no readable ${RUN_FILES.config}) nor a model written by rpdl export (no model.json)`,
    );
  }
}

/**
 * Builds a run's model with its best weights (best.ckpt). `flag` names the option the directory
 * came from, for the error message.
 *
 * @example
 * const { network } = await loadRunModel('runs/quick/runs/exp1/unet3d/rpdl/fold-0');
 */
export async function loadRunModel(dir: string, flag?: string): Promise<TrainedModel> {
  const config = await readRunConfig(dir, flag);
  const best = await loadCheckpoint(join(dir, RUN_FILES.best));
  const network = buildFromConfig(config.model);
  try {
    writeModelWeights(network.model, best.tensors);
  } catch (error) {
    network.model.dispose();
    throw error;
  }
  return {
    network,
    id: config.id,
    spatialShape: [...config.spatialShape],
    input: config.input ?? 'cm-labels',
  };
}

/**
 * The segmentation of an exported model: every @rpdl/models-3d network puts it first among its
 * outputs (Myronenko18's VAE outputs follow and are freed here).
 */
function firstOutput(model: LayersModel, input: Tensor): Tensor {
  const out = model.predict(input) as Tensor | Tensor[];
  if (!Array.isArray(out)) return out;
  dispose(out.slice(1));
  return out[0]!;
}

/**
 * Loads either form `rpdl predict --model` accepts: a directory written by `rpdl export`
 * (model.json) or a run directory (config.json + best.ckpt).
 *
 * @example
 * const { network, spatialShape } = await loadTrainedModel('exported/unet');
 */
export async function loadTrainedModel(dir: string): Promise<TrainedModel> {
  if (!isSavedModelDirectory(dir)) return loadRunModel(dir, '--model');
  const model = await loadSavedModel(dir);
  const shape = model.inputs[0]?.shape ?? [];
  const spatial = shape.slice(1, 4);
  if (shape.length !== 5 || spatial.some((n) => typeof n !== 'number')) {
    model.dispose();
    throw new UsageError(
      `--model ${dir} takes input of shape [${shape}]; expected a 3D model with input [batch, depth, height, width, 1]`,
    );
  }
  return {
    network: { model, segment: (input) => firstOutput(model, input) },
    id: basename(dir),
    spatialShape: spatial as [number, number, number],
    // model.json does not record the input rule; exported models take CM label volumes.
    input: 'cm-labels',
  };
}
