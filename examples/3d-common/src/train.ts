import { createBatchStream } from '@rpdl/cm-dataset';
import { foregroundWeight, getLoss, type LossName } from '@rpdl/losses';
import type { SegmentationNetwork } from '@rpdl/models-3d';
import { type TrainingBatch, trainModel } from '@rpdl/training';
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import { type ExampleSettings, LOSS_NAMES } from './flags.js';
import type { Fold } from './fold.js';

export interface TrainingLog {
  /** Loss of every step, in order. */
  losses: number[];
  seconds: number;
}

/**
 * The segmentation loss of one batch, from the `@rpdl/losses` registry: WCEL weighs the
 * foreground by the training masks' background/foreground ratio (the paper's choice); RPDL needs
 * the rows' reward-penalty maps.
 *
 * @example
 * const loss = segmentationLoss('rpdl', y, probabilities, rpMap, 1);
 */
export function segmentationLoss(
  loss: LossName,
  y: Tensor,
  probabilities: Tensor,
  rpMap: Tensor | undefined,
  wcelWeight: number,
): Scalar {
  const entry = getLoss(loss);
  if (entry.needs.target !== 'annotation') {
    throw new RangeError(
      `segmentationLoss: ${loss} trains on a fused target of each bone's annotations; the examples train on single annotations (${LOSS_NAMES.join(', ')})`,
    );
  }
  if (entry.needs.rewardPenaltyMap && rpMap === undefined) {
    throw new Error(`segmentationLoss: ${entry.label} needs the batch maps`);
  }
  return entry.compute(y, probabilities, {
    ...(entry.needs.rewardPenaltyMap ? { map: rpMap } : {}),
    ...(entry.needs.foregroundWeight ? { foregroundWeight: wcelWeight } : {}),
  });
}

function* firstBatches(batches: Iterable<TrainingBatch>, count: number) {
  if (count <= 0) return;
  let taken = 0;
  for (const batch of batches) {
    yield batch;
    if (++taken === count) return;
  }
}

/**
 * Trains `network` for `settings.steps` Adam steps on the fold's training rows with the
 * project's trainer (`trainModel` of `@rpdl/training`), streaming batches from
 * `@rpdl/cm-dataset` (with the reward-penalty maps of the training surgeons when the loss is
 * RPDL). `log` gets about ten progress lines.
 *
 * @example
 * const { losses } = await trainOnFold(network, fold, settings, console.log);
 */
export async function trainOnFold(
  network: SegmentationNetwork,
  fold: Fold,
  settings: ExampleSettings,
  log: (line: string) => void,
): Promise<TrainingLog> {
  const { loss, steps, batchSize, seed } = settings;
  const needs = getLoss(loss).needs;
  const wcelWeight = needs.foregroundWeight
    ? foregroundWeight(fold.trainRows.map((r) => fold.dataset.masks[r]!))
    : 1;
  const stream = createBatchStream({
    dataset: fold.dataset,
    rows: fold.trainRows,
    batchSize,
    seed,
    maps: needs.rewardPenaltyMap ? 'paper' : 'none',
  });
  const perEpoch = stream.batchesPerEpoch;
  const epochs = Math.ceil(steps / perEpoch);
  const losses: number[] = [];
  const started = performance.now();
  const every = Math.max(1, Math.round(steps / 10));
  await trainModel({
    model: network.model,
    // The network's contract adds what its model needs on top of the segmentation loss
    // (Myronenko18: its VAE's reconstruction and KL terms).
    loss: (outputs, batch) =>
      network.trainingLoss(outputs, batch.x, (p) =>
        segmentationLoss(loss, batch.y, p, batch.rpMap, wcelWeight),
      ),
    // Plain Adam at one rate: a patience of the whole run never reduces it nor stops early.
    settings: {
      learningRate: settings.learningRate,
      maxEpochs: epochs,
      plateauPatience: epochs,
      plateauFactor: 0.1,
      earlyStoppingPatience: epochs,
    },
    // Epoch e of the trainer is epoch e − 1 of the stream, cut where the step budget ends.
    trainBatches: (epoch) =>
      firstBatches(stream.epoch(epoch - 1), Math.min(perEpoch, steps - (epoch - 1) * perEpoch)),
    batchesPerEpoch: perEpoch,
    onStep: (_epoch, _stepInEpoch, value) => {
      losses.push(value);
      const step = losses.length;
      if (step % every === 0 || step === steps) {
        const elapsed = (performance.now() - started) / 1000;
        log(
          `  step ${String(step).padStart(String(steps).length)}/${steps}  ` +
            `loss ${value.toFixed(4)}  ${(elapsed / step).toFixed(2)} s/step`,
        );
      }
    },
  });
  return { losses, seconds: (performance.now() - started) / 1000 };
}
