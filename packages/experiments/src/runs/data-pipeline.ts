import {
  type CaseSplitKind,
  type CmDataset,
  caseSplit,
  createBatchStream,
  cubeSymmetries,
  identityAugmentation,
  leaveOneBoneOut,
  leaveOneSurgeonOut,
  type NormalizeOptions,
  normalizeInput,
  referenceAugmentation,
  type Split,
  type TrainingCases,
  trainingCasesFromCm,
} from '@rpdl/cm-dataset';
import { tensor } from '@tensorflow/tfjs-core';
import type { ExperimentId } from '../grid/grid.js';
import type { AugmentationName } from '../grid/profiles.js';
import { type TrainingBatch } from '@rpdl/training';

/**
 * What a run trains on: the CM layout (labels normalised by x/6.5 − 1), or any training cases,
 * whose images are fed to the network as they are (see `standardizeCases`).
 */
export type RunDataset = CmDataset | TrainingCases;

/**
 * A run dataset as training cases (the CM layout: case = bone, rows unchanged).
 *
 * @example
 * asTrainingCases(generatePhantom({ size: 16, seed: 1 })).cases.length; // 9
 */
export function asTrainingCases(dataset: RunDataset): TrainingCases {
  return 'layout' in dataset ? trainingCasesFromCm(dataset) : dataset;
}

/** Cases' images are already network inputs: x/1 + 0. */
const AS_IS: NormalizeOptions = Object.freeze({ scale: 1, shift: 0 });

/**
 * The input normalisation of a run dataset: the paper's x/6.5 − 1 for CM labels, none for
 * training cases (standardised when loaded).
 *
 * @example
 * inputNormalization(cases); // { scale: 1, shift: 0 }
 */
export function inputNormalization(dataset: RunDataset): NormalizeOptions {
  return 'layout' in dataset ? {} : AS_IS;
}

/** The case split an experiment follows: Experiment 1 leaves one case out, Experiment 2 one annotator. */
export function splitKindOf(experiment: ExperimentId): CaseSplitKind {
  return experiment === 1 ? 'leave-one-case-out' : 'leave-one-annotator-out';
}

/**
 * A fold's train/test rows: leave one bone (case) out (Experiment 1) or one surgeon
 * (annotator) out (Experiment 2), on the CM layout or on training cases.
 *
 * @example
 * foldSplit(2, 0, { bones: 9, surgeons: 7 }).test; // [0, 7, 14, …, 56]
 */
export function foldSplit(
  experiment: ExperimentId,
  fold: number,
  data: CmDataset['layout'] | TrainingCases,
): Split {
  if ('cases' in data) return caseSplit(splitKindOf(experiment), fold, data);
  return experiment === 1 ? leaveOneBoneOut(fold, data) : leaveOneSurgeonOut(fold, data);
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
 * With `caseTargets` (fused-target losses), every sample's `y` is its case's target instead of
 * its row's annotation, for training and validation alike.
 *
 * @example
 * const batches = runBatches({ dataset, train, validation, mapRows: split.train, batchSize: 8,
 *   augmentation: 'cube', seed: 1, withMaps: true, steps: 6 });
 */
export function runBatches(options: {
  dataset: RunDataset;
  train: readonly number[];
  validation: readonly number[];
  mapRows: readonly number[];
  batchSize: number;
  augmentation: AugmentationName;
  seed: number;
  withMaps: boolean;
  steps?: number | null;
  caseTargets?: ReadonlyMap<number, ArrayLike<number>>;
}): RunBatches {
  const { dataset, batchSize, withMaps } = options;
  const maps = withMaps ? ('paper' as const) : ('none' as const);
  const augmentation = augmentationFor(options.augmentation);
  const available = options.train.length * augmentation.count;
  const samplesPerEpoch =
    options.steps == null ? available : Math.min(available, options.steps * batchSize);
  const shared = {
    dataset,
    normalize: inputNormalization(dataset),
    ...(options.caseTargets ? { caseTargets: options.caseTargets } : {}),
  };
  const training = createBatchStream<'paper' | 'none'>({
    ...shared,
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
      ...shared,
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
 * One bone's (case's) network input, [1, D, H, W, 1], normalised as in training.
 *
 * @example
 * const x = boneInput(dataset, 3); // dispose when done
 */
export function boneInput(dataset: RunDataset, bone: number) {
  const inputs = 'layout' in dataset ? dataset.inputs : dataset.cases.map((c) => c.image);
  const input = inputs[bone];
  if (!input) throw new RangeError(`bone ${bone} does not exist (dataset has ${inputs.length})`);
  const [d, h, w] = dataset.spatialShape;
  return tensor(normalizeInput(input, inputNormalization(dataset)), [1, d, h, w, 1]);
}
