import { diceLoss, rewardPenaltyDiceLoss, weightedCrossEntropy } from '@rpdl/losses';
import { myronenko2018Loss } from '@rpdl/models-3d';
import type { Scalar } from '@tensorflow/tfjs-core';
import type { LossName } from '../grid/grid.js';
import { type BatchLoss } from '@rpdl/training';

/**
 * The training objective of a run: WCEL (with the background/foreground weight of the training
 * masks), Dice loss, or RPDL (with the batch's reward-penalty map) on the segmentation output;
 * for Myronenko18 (`vae: true`) plus its 0.1·L2 + 0.1·KL VAE terms.
 *
 * @example
 * const loss = batchLossFor('wcel', { weight: 24, vae: false });
 */
export function batchLossFor(
  loss: LossName,
  options: { weight?: number; vae: boolean },
): BatchLoss {
  if (loss === 'wcel' && !(options.weight !== undefined && options.weight > 0)) {
    throw new RangeError(`the wcel loss needs a positive weight, got ${options.weight}`);
  }
  return (outputs, batch) => {
    const segmentation = outputs[0];
    if (!segmentation) throw new Error('the model produced no output');
    let segmentationLoss: Scalar;
    switch (loss) {
      case 'wcel':
        segmentationLoss = weightedCrossEntropy(batch.y, segmentation, { weight: options.weight! });
        break;
      case 'dl':
        segmentationLoss = diceLoss(batch.y, segmentation);
        break;
      case 'rpdl':
        if (!batch.rpMap) throw new Error('the rpdl loss needs batches with a reward-penalty map');
        segmentationLoss = rewardPenaltyDiceLoss(batch.y, segmentation, batch.rpMap);
        break;
    }
    if (!options.vae) return segmentationLoss;
    const [, reconstruction, zMean, zLogVar] = outputs;
    if (!reconstruction || !zMean || !zLogVar) {
      throw new Error(
        `a VAE model must output [segmentation, reconstruction, zMean, zLogVar], got ${outputs.length} outputs`,
      );
    }
    return myronenko2018Loss({ segmentationLoss, input: batch.x, reconstruction, zMean, zLogVar });
  };
}
