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
import { rewardPenaltyMap } from '@rpdl/rpmap';
import { tensor } from '@tensorflow/tfjs-core';
import type { ExperimentId } from './grid.js';
import type { AugmentationName } from './profiles.js';
import type { TrainingBatch } from './train-loop.js';

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

/**
 * Training batches for one epoch from `@rpdl/cm-dataset`'s stream (shuffled, augmented, with the
 * reward-penalty map of each row's bone built from the training rows when `withMaps`), cut to
 * `steps` batches when given.
 *
 * @example
 * const { batches, batchesPerEpoch } = trainingBatches({ dataset, rows, batchSize: 8, augmentation: 'cube', seed: 1, withMaps: true });
 */
export function trainingBatches(options: {
  dataset: CmDataset;
  rows: readonly number[];
  batchSize: number;
  augmentation: AugmentationName;
  seed: number;
  withMaps: boolean;
  steps?: number | null;
}): { batches: AsyncIterable<TrainingBatch>; batchesPerEpoch: number } {
  const stream = createBatchStream({
    dataset: options.dataset,
    rows: [...options.rows],
    batchSize: options.batchSize,
    augmentation: augmentationFor(options.augmentation),
    seed: options.seed,
    shuffle: true,
    maps: options.withMaps ? 'paper' : 'none',
  });
  const full = stream.batchesPerEpoch;
  const steps = options.steps == null ? full : Math.min(options.steps, full);
  async function* take(): AsyncGenerator<TrainingBatch> {
    let n = 0;
    for await (const batch of stream) {
      if (n >= steps) {
        batch.x.dispose();
        batch.y.dispose();
        batch.rpMap?.dispose();
        batch.target?.dispose();
        break;
      }
      batch.target?.dispose();
      yield batch.rpMap
        ? { x: batch.x, y: batch.y, rpMap: batch.rpMap }
        : { x: batch.x, y: batch.y };
      n += 1;
    }
  }
  return { batches: take(), batchesPerEpoch: steps };
}

/**
 * Reward-penalty maps per bone built from the given rows' annotations (the fold's training
 * annotations), as the paper's Fig. 2 prescribes.
 *
 * @example
 * const maps = mapsByBone(dataset, split.train); // maps.get(bone)
 */
export function mapsByBone(dataset: CmDataset, rows: readonly number[]): Map<number, Float32Array> {
  const { surgeons } = dataset.layout;
  const byBone = new Map<number, Uint8Array[]>();
  for (const row of rows) {
    const bone = Math.floor(row / surgeons);
    const list = byBone.get(bone) ?? [];
    list.push(dataset.masks[row]!);
    byBone.set(bone, list);
  }
  return new Map([...byBone].map(([bone, masks]) => [bone, rewardPenaltyMap(masks)]));
}

/**
 * Un-augmented batches over `rows` in order, for validation. With `maps`, each sample carries
 * its bone's map from `maps` (built from all of the fold's training annotations, not only the
 * few validation rows).
 *
 * @example
 * const batches = validationBatches(dataset, split.validation, 8, mapsByBone(dataset, trainRows));
 */
export function validationBatches(
  dataset: CmDataset,
  rows: readonly number[],
  batchSize: number,
  maps?: ReadonlyMap<number, Float32Array>,
): TrainingBatch[] {
  const { surgeons } = dataset.layout;
  const voxels = dataset.spatialShape.reduce((a, b) => a * b, 1);
  const batches: TrainingBatch[] = [];
  for (let start = 0; start < rows.length; start += batchSize) {
    const chunk = rows.slice(start, start + batchSize);
    const x = new Float32Array(chunk.length * voxels);
    const y = new Float32Array(chunk.length * voxels);
    const m = maps ? new Float32Array(chunk.length * voxels) : undefined;
    chunk.forEach((row, i) => {
      const bone = Math.floor(row / surgeons);
      x.set(normalizeInput(dataset.inputs[bone]!), i * voxels);
      y.set(dataset.masks[row]!, i * voxels);
      if (m && maps) {
        const map = maps.get(bone);
        if (!map)
          throw new Error(`no reward-penalty map for bone ${bone}: it has no training annotation`);
        m.set(map, i * voxels);
      }
    });
    const shape = sampleShape(dataset, chunk.length);
    batches.push(
      m
        ? { x: tensor(x, shape), y: tensor(y, shape), rpMap: tensor(m, shape) }
        : { x: tensor(x, shape), y: tensor(y, shape) },
    );
  }
  return batches;
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
