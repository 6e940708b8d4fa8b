import type { LossName } from '@rpdl/losses';
import {
  diceLoss,
  encodedRewardPenaltyDiceLoss,
  encodeTargetAndMap,
  foregroundWeight,
  packedRewardPenaltyDiceLoss,
  packTargetAndMap,
  referenceRewardPenaltyDiceLoss,
  rewardPenaltyDiceLoss,
  weightedCrossEntropy,
} from '@rpdl/losses';
import { mixSeed, type Random, seededRandom } from '@rpdl/random';
import { trainModel } from '@rpdl/training';
import {
  dispose,
  gather,
  type Scalar,
  type Tensor,
  tensor1d,
  tidy,
  train,
} from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { TrainingRows } from './rows.js';

/** The paper's three losses, by their `@rpdl/losses` registry names. */
type PaperLoss = Extract<LossName, 'wcel' | 'dl' | 'rpdl'>;

/**
 * The three losses the paper compares (the registry's names), plus `'rpdl-ref'`: the variant of the authors' published
 * code, trained on `referenceTarget` rather than on the annotation and the map.
 */
export type ExampleLoss = PaperLoss | 'rpdl-ref';

export interface TrainingOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
}

/**
 * The loss of one batch. WCEL weighs the foreground by the background/foreground ratio of the
 * training annotations (the paper's choice); RPDL needs the rows' reward-penalty maps.
 */
export function batchLoss(
  loss: ExampleLoss,
  y: Tensor,
  prediction: Tensor,
  map: Tensor,
  target: Tensor,
  wcelWeight: number,
): Scalar {
  switch (loss) {
    case 'wcel':
      return weightedCrossEntropy(y, prediction, { weight: wcelWeight });
    case 'dl':
      return diceLoss(y, prediction);
    case 'rpdl':
      return rewardPenaltyDiceLoss(y, prediction, map);
    case 'rpdl-ref':
      return referenceRewardPenaltyDiceLoss(target, prediction);
  }
}

/**
 * Trains `model` with the project's trainer (`trainModel` of `@rpdl/training`): Adam on
 * `batchLoss`, shuffled every epoch. This is the route for anything `fit()` cannot express
 * (several maps, extra loss terms). For `'rpdl-ref'` a batch's `y` is the authors' soft target.
 *
 * @returns the mean training loss of each epoch.
 * @example
 * const losses = await trainWithCustomLoop(model, rows, 'rpdl', { epochs: 5, batchSize: 16, learningRate: 0.01, seed: 1 });
 */
export async function trainWithCustomLoop(
  model: LayersModel,
  rows: TrainingRows,
  loss: ExampleLoss,
  options: TrainingOptions,
): Promise<number[]> {
  // foregroundWeight reads the 0/1 annotations; WCEL is the only loss that needs it.
  const wcelWeight = loss === 'wcel' ? foregroundWeight(rows.y) : 1;
  const target = loss === 'rpdl-ref' ? rows.target : rows.y;
  const count = rows.x.shape[0];
  const batchesPerEpoch = Math.ceil(count / options.batchSize);
  const { epochs } = options;
  const result = await trainModel({
    model,
    loss: (outputs, batch) =>
      batchLoss(loss, batch.y, outputs[0]!, batch.rpMap!, batch.y, wcelWeight),
    // Plain Adam at one rate: a patience of the whole run never reduces it nor stops early.
    settings: {
      learningRate: options.learningRate,
      maxEpochs: epochs,
      plateauPatience: epochs,
      plateauFactor: 0.1,
      earlyStoppingPatience: epochs,
    },
    // A shuffle per epoch from (seed, epoch) alone, as the trainer asks for exact resumes.
    trainBatches: (epoch) =>
      shuffledOrder(count, options.batchSize, seededRandom(mixSeed(options.seed, epoch))).map(
        (indices) =>
          tidy(() => {
            const batch = tensor1d(indices, 'int32');
            return {
              x: gather(rows.x, batch),
              y: gather(target, batch),
              rpMap: gather(rows.map, batch),
            };
          }),
      ),
    batchesPerEpoch,
  });
  return result.history.map((record) => record.loss);
}

/**
 * Trains `model` with RPDL through `compile()` and `fit()`. Keras-style losses see only
 * `(yTrue, yPred)`, and `fit()` insists that the target has the output's shape, so target and
 * map travel encoded in one tensor of that shape (`encodeTargetAndMap`: 4·y + M) and
 * `encodedRewardPenaltyDiceLoss` decodes them.
 *
 * @returns the mean training loss of each epoch, as `fit` logged it.
 * @example
 * await trainWithFit(model, rows, { epochs: 5, batchSize: 16, learningRate: 0.01, seed: 1 });
 */
export async function trainWithFit(
  model: LayersModel,
  rows: TrainingRows,
  options: TrainingOptions,
): Promise<number[]> {
  // Our optimizer, not a string name: the model then does not own it, so it is ours to dispose.
  const optimizer = train.adam(options.learningRate);
  model.compile({ optimizer, loss: encodedRewardPenaltyDiceLoss() });
  // fit() shuffles with Math.random; one seeded permutation instead keeps runs repeatable.
  const order = tensor1d(
    shuffledOrder(rows.x.shape[0], rows.x.shape[0], seededRandom(options.seed))[0]!,
    'int32',
  );
  const x = gather(rows.x, order);
  const encoded = tidy(() => encodeTargetAndMap(gather(rows.y, order), gather(rows.map, order)));
  try {
    const history = await model.fit(x, encoded, {
      epochs: options.epochs,
      batchSize: options.batchSize,
      shuffle: false,
      verbose: 0,
    });
    return (history.history['loss'] ?? []).map(Number);
  } finally {
    dispose([order, x, encoded]);
    optimizer.dispose();
  }
}

/**
 * Trains `model` with RPDL through `compile()` and `fitDataset()`, the map packed beside the
 * target on the last axis (`packTargetAndMap`) and unpacked by `packedRewardPenaltyDiceLoss`.
 * The packed target has two channels where the output has one, which `fit()` rejects and
 * `fitDataset()` accepts; it also suits a custom loop.
 *
 * @returns the mean training loss of each epoch, as `fitDataset` logged it.
 * @example
 * await trainWithFitDataset(model, rows, { epochs: 5, batchSize: 16, learningRate: 0.01, seed: 1 });
 */
export async function trainWithFitDataset(
  model: LayersModel,
  rows: TrainingRows,
  options: TrainingOptions,
): Promise<number[]> {
  // Our optimizer, not a string name: the model then does not own it, so it is ours to dispose.
  const optimizer = train.adam(options.learningRate);
  model.compile({ optimizer, loss: packedRewardPenaltyDiceLoss() });
  const packed = packTargetAndMap(rows.y, rows.map);
  const random = seededRandom(options.seed);
  const count = rows.x.shape[0];
  const batchCount = Math.ceil(count / options.batchSize);
  // The smallest object fitDataset accepts: a size and an iterator of { xs, ys } batches.
  const dataset = {
    size: batchCount,
    iterator: async () => {
      // Plain numbers until a batch is asked for: fitDataset may open an iterator it never reads.
      const batches = shuffledOrder(count, options.batchSize, random);
      let next = 0;
      return {
        next: async () => {
          const indices = batches[next++];
          if (indices === undefined) return { value: undefined, done: true as const };
          const value = tidy(() => {
            const rowsOfBatch = tensor1d(indices, 'int32');
            return { xs: gather(rows.x, rowsOfBatch), ys: gather(packed, rowsOfBatch) };
          });
          return { value, done: false as const };
        },
      };
    },
  };
  try {
    const history = await model.fitDataset(dataset, { epochs: options.epochs, verbose: 0 });
    return (history.history['loss'] ?? []).map(Number);
  } finally {
    packed.dispose();
    optimizer.dispose();
  }
}

/** Row indices in a fresh random order, cut into batches (the last one may be smaller). */
function shuffledOrder(count: number, batchSize: number, random: Random): number[][] {
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const batches: number[][] = [];
  for (let start = 0; start < count; start += batchSize) {
    batches.push(order.slice(start, start + batchSize));
  }
  return batches;
}
