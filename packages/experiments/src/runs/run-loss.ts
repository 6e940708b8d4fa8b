import { diceLoss, rewardPenaltyDiceLoss, weightedCrossEntropy } from '@rpdl/losses';
import type { SegmentationNetwork } from '@rpdl/models-3d';
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import type { LossName } from '../grid/grid.js';
import type { BatchLoss, TrainingBatch } from '@rpdl/training';

/**
 * The training objective of a run: WCEL (with the background/foreground weight of the training
 * masks), Dice loss, or RPDL (with the batch's reward-penalty map) on the segmentation output,
 * plus whatever the network's contract adds (Myronenko18's 0.1·L2 + 0.1·KL VAE terms).
 *
 * @example
 * const loss = batchLossFor('wcel', { weight: 24, network });
 */
export function batchLossFor(
  loss: LossName,
  options: { weight?: number; network: Pick<SegmentationNetwork, 'trainingLoss'> },
): BatchLoss {
  if (loss === 'wcel' && !(options.weight !== undefined && options.weight > 0)) {
    throw new RangeError(`the wcel loss needs a positive weight, got ${options.weight}`);
  }
  const segmentationLoss = (segmentation: Tensor, batch: TrainingBatch): Scalar => {
    switch (loss) {
      case 'wcel':
        return weightedCrossEntropy(batch.y, segmentation, { weight: options.weight! });
      case 'dl':
        return diceLoss(batch.y, segmentation);
      case 'rpdl':
        if (!batch.rpMap) throw new Error('the rpdl loss needs batches with a reward-penalty map');
        return rewardPenaltyDiceLoss(batch.y, segmentation, batch.rpMap);
    }
  };
  return (outputs, batch) =>
    options.network.trainingLoss(outputs, batch.x, (p) => segmentationLoss(p, batch));
}
