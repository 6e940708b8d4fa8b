import { createBatchStream } from '@rpdl/cm-dataset';
import { foregroundWeight, getLoss, type LossName } from '@rpdl/losses';
import { dispose, type Scalar, type Tensor, train } from '@tensorflow/tfjs-core';
import { type ExampleSettings, LOSS_NAMES } from './flags.js';
import type { Fold } from './fold.js';
import type { SegmentationNetwork } from './network.js';

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

/**
 * Trains `network` for `settings.steps` Adam steps on the fold's training rows, streaming
 * batches from `@rpdl/cm-dataset` (with the reward-penalty maps of the training surgeons when
 * the loss is RPDL). `log` gets about ten progress lines.
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
  const optimizer = train.adam(settings.learningRate);
  const losses: number[] = [];
  const started = performance.now();
  const every = Math.max(1, Math.round(steps / 10));
  try {
    for (let epoch = 0; losses.length < steps; epoch++) {
      for (const batch of stream.epoch(epoch)) {
        const rpMap = 'rpMap' in batch ? (batch.rpMap as Tensor) : undefined;
        try {
          const value = optimizer.minimize(
            () =>
              network.trainingLoss(batch.x, (p) =>
                segmentationLoss(loss, batch.y, p, rpMap, wcelWeight),
              ),
            true,
          );
          losses.push((await value!.data())[0]!);
          value!.dispose();
        } finally {
          dispose([batch.x, batch.y, ...(rpMap ? [rpMap] : [])]);
        }
        const step = losses.length;
        if (step % every === 0 || step === steps) {
          const elapsed = (performance.now() - started) / 1000;
          log(
            `  step ${String(step).padStart(String(steps).length)}/${steps}  ` +
              `loss ${losses.at(-1)!.toFixed(4)}  ${(elapsed / step).toFixed(2)} s/step`,
          );
        }
        if (step >= steps) break;
      }
    }
  } finally {
    optimizer.dispose();
  }
  return { losses, seconds: (performance.now() - started) / 1000 };
}
