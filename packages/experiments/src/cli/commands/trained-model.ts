import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { type SegmentationNetwork, segmentWith } from '@rpdl/models-3d';
import { loadCheckpoint, writeModelWeights } from '@rpdl/training';
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
  input: InputRule;
}

type InputRule = NonNullable<RunConfig['input']>;
const INPUT_RULES: readonly InputRule[] = ['cm-labels', 'standardized'];

/** What `rpdl export` records in model.json's `userDefinedMetadata`, under the key `rpdl`. */
export interface ExportMetadata {
  /** The run the weights come from. */
  run: string;
  input: InputRule;
}

/**
 * The metadata `rpdl export` stores with a model, so that `rpdl predict` prepares the input as the
 * run did whatever the exported directory is called.
 *
 * @example
 * model.setUserDefinedMetadata(exportMetadata(await loadRunModel(dir)));
 */
export function exportMetadata(trained: Pick<TrainedModel, 'id' | 'input'>): {
  rpdl: ExportMetadata;
} {
  return { rpdl: { run: trained.id, input: trained.input } };
}

/**
 * Reads {@link exportMetadata} back. Models exported before it was recorded (or by other tools)
 * have none: they are named after their directory and take CM label volumes, the only input
 * those exports could have.
 */
function readExportMetadata(metadata: unknown, dir: string): ExportMetadata {
  const rpdl = (metadata as { rpdl?: unknown } | undefined)?.rpdl;
  if (rpdl === undefined) return { run: basename(dir), input: 'cm-labels' };
  const { run, input } = (rpdl ?? {}) as Partial<Record<keyof ExportMetadata, unknown>>;
  if (typeof run !== 'string' || !INPUT_RULES.includes(input as InputRule)) {
    throw new UsageError(
      `--model ${dir}: model.json's userDefinedMetadata.rpdl is ${JSON.stringify(rpdl)}; expected { "run": "<run id>", "input": "${INPUT_RULES.join('" | "')}" } as rpdl export writes it`,
    );
  }
  return { run, input: input as InputRule };
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
  let metadata: ExportMetadata;
  try {
    metadata = readExportMetadata(model.getUserDefinedMetadata(), dir);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return {
    network: { model, segment: (input) => segmentWith(model, input) },
    id: metadata.run,
    spatialShape: spatial as [number, number, number],
    input: metadata.input,
  };
}
