import { getLoss, type LossInputs, type LossName } from '@rpdl/losses';
import type { SegmentationNetwork } from '@rpdl/models-3d';
import type { BatchLoss } from '@rpdl/training';

/**
 * The training objective of a run: the registry's loss (`getLoss(loss)` of `@rpdl/losses`) on the
 * segmentation output, given what its `needs` ask for: the foreground weight w (WCEL) and the
 * batch's reward-penalty map (RPDL); the batch's `y` must already be the entry's training target.
 * The network's contract adds whatever else it minimises (Myronenko18's 0.1·L2 + 0.1·KL VAE
 * terms).
 *
 * @throws RangeError when the loss needs a foreground weight and `weight` is not a positive
 *   number.
 *
 * @example
 * const loss = batchLossFor('wcel', { weight: 24, network });
 */
export function batchLossFor(
  loss: LossName,
  options: { weight?: number; network: Pick<SegmentationNetwork, 'trainingLoss'> },
): BatchLoss {
  const entry = getLoss(loss);
  if (entry.needs.foregroundWeight && !(options.weight !== undefined && options.weight > 0)) {
    throw new RangeError(`the ${loss} loss needs a positive weight, got ${options.weight}`);
  }
  return (outputs, batch) =>
    options.network.trainingLoss(outputs, batch.x, (segmentation) => {
      const inputs: LossInputs = {};
      if (entry.needs.foregroundWeight) inputs.foregroundWeight = options.weight!;
      if (entry.needs.rewardPenaltyMap) {
        if (!batch.rpMap) {
          throw new Error(`the ${loss} loss needs batches with a reward-penalty map`);
        }
        inputs.map = batch.rpMap;
      }
      return entry.compute(batch.y, segmentation, inputs);
    });
}
