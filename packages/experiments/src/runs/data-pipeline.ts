import {
  type CmDataset,
  createBatchStream,
  cubeSymmetries,
  identityAugmentation,
  leaveOneBoneOut,
  leaveOneSurgeonOut,
  normalizeInput,
  referenceAugmentation,
  type Split,
} from '@rpdl/cm-dataset';
import { tensor } from '@tensorflow/tfjs-core';
import type { ExperimentId } from '../grid/grid.js';
import type { AugmentationName } from '../grid/profiles.js';
import { type TrainingBatch } from '@rpdl/training';

/**
 * A fold's train/test rows: leave one bone out (Experiment 1) or one surgeon out (Experiment 2).
 *
 * @example
 * foldSplit(2, 0, { bones: 9, surgeons: 7 }).test; // [0, 7, 14, …, 56]
 */
export function foldSplit(
  experiment: ExperimentId,
  fold: number,
  layout: CmDataset['layout'],
): Split {
  return experiment === 1 ? leaveOneBoneOut(fold, layout) : leaveOneSurgeonOut(fold, layout);
}

/**
 * The augmentation a profile names.
 *
 * @example
 * augmentationFor('cube').count; // 48
 */
export function augmentationFor(name: AugmentationName) {
  switch (name) {
    case 'reference':
      return referenceAugmentation();
    case 'cube':
      return cubeSymmetries();
    case 'identity':
      return identityAugmentation();
  }
}

/** Flattened volume → [1, D, H, W, 1] shape for one sample of the dataset. */
function sampleShape(dataset: CmDataset, batch: number): [number, number, number, number, number] {
  const [d, h, w] = dataset.spatialShape;
  return [batch, d, h, w, 1];
}

/** What a run trains and validates on. */
export interface RunBatches {
  /** Batches of epoch `epoch` (1-based): the same for the same seed and epoch, so resumes are exact. */
  trainBatches: (epoch: number) => Iterable<TrainingBatch>;
  batchesPerEpoch: number;
  /** Un-augmented batches over the validation rows, in order; undefined without validation rows. */
  validationBatches?: () => Iterable<TrainingBatch>;
}

type StreamBatch = { x: TrainingBatch['x']; y: TrainingBatch['y']; rpMap?: TrainingBatch['x'] };

function* asTrainingBatches(batches: Iterable<StreamBatch>): Generator<TrainingBatch> {
  for (const { x, y, rpMap } of batches) yield rpMap ? { x, y, rpMap } : { x, y };
}

/**
 * The batch streams of one run from `@rpdl/cm-dataset`: training batches shuffled and augmented
 * per epoch (cut to `steps` batches per epoch when given), and validation batches without
 * augmentation. With `withMaps` (RPDL), every sample carries the reward-penalty map of its bone
 * built from `mapRows`, the fold's training annotations, for training and validation alike.
 *
 * @example
 * const batches = runBatches({ dataset, train, validation, mapRows: split.train, batchSize: 8,
 *   augmentation: 'cube', seed: 1, withMaps: true, steps: 6 });
 */
export function runBatches(options: {
  dataset: CmDataset;
  train: readonly number[];
  validation: readonly number[];
  mapRows: readonly number[];
  batchSize: number;
  augmentation: AugmentationName;
  seed: number;
  withMaps: boolean;
  steps?: number | null;
}): RunBatches {
  const { dataset, batchSize, withMaps } = options;
  const maps = withMaps ? ('paper' as const) : ('none' as const);
  const augmentation = augmentationFor(options.augmentation);
  const available = options.train.length * augmentation.count;
  const samplesPerEpoch =
    options.steps == null ? available : Math.min(available, options.steps * batchSize);
  const training = createBatchStream<'paper' | 'none'>({
    dataset,
    rows: options.train,
    ...(withMaps ? { mapRows: options.mapRows } : {}),
    batchSize,
    augmentation,
    seed: options.seed,
    shuffle: true,
    maps,
    samplesPerEpoch,
  });
  const result: RunBatches = {
    trainBatches: (epoch) => asTrainingBatches(training.epoch(epoch - 1) as Iterable<StreamBatch>),
    batchesPerEpoch: training.batchesPerEpoch,
  };
  if (options.validation.length > 0) {
    const validation = createBatchStream<'paper' | 'none'>({
      dataset,
      rows: options.validation,
      ...(withMaps ? { mapRows: options.mapRows } : {}),
      batchSize,
      augmentation: identityAugmentation(),
      shuffle: false,
      maps,
    });
    result.validationBatches = () =>
      asTrainingBatches(validation.epoch(0) as Iterable<StreamBatch>);
  }
  return result;
}

/**
 * One bone's network input, [1, D, H, W, 1], normalised as in training.
 *
 * @example
 * const x = boneInput(dataset, 3); // dispose when done
 */
export function boneInput(dataset: CmDataset, bone: number) {
  const input = dataset.inputs[bone];
  if (!input)
    throw new RangeError(`bone ${bone} does not exist (dataset has ${dataset.inputs.length})`);
  return tensor(normalizeInput(input), sampleShape(dataset, 1));
}
