import { getLoss, type LossInputs, type LossName } from '@rpdl/losses';
import { myronenko2018Loss } from '@rpdl/models-3d';
import type { BatchLoss } from '@rpdl/training';

/**
 * The training objective of a run: the registry's loss (`getLoss(loss)` of `@rpdl/losses`) on the
 * segmentation output, given what its `needs` ask for: the foreground weight w (WCEL) and the
 * batch's reward-penalty map (RPDL); the batch's `y` must already be the entry's training target.
 * For Myronenko18 (`vae: true`) plus its 0.1·L2 + 0.1·KL VAE terms.
 *
 * @throws RangeError when the loss needs a foreground weight and `weight` is not a positive
 *   number.
 *
 * @example
 * const loss = batchLossFor('wcel', { weight: 24, vae: false });
 */
export function batchLossFor(
  loss: LossName,
  options: { weight?: number; vae: boolean },
): BatchLoss {
  const entry = getLoss(loss);
  if (entry.needs.foregroundWeight && !(options.weight !== undefined && options.weight > 0)) {
    throw new RangeError(`the ${loss} loss needs a positive weight, got ${options.weight}`);
  }
  return (outputs, batch) => {
    const segmentation = outputs[0];
    if (!segmentation) throw new Error('the model produced no output');
    const inputs: LossInputs = {};
    if (entry.needs.foregroundWeight) inputs.foregroundWeight = options.weight!;
    if (entry.needs.rewardPenaltyMap) {
      if (!batch.rpMap) throw new Error(`the ${loss} loss needs batches with a reward-penalty map`);
      inputs.map = batch.rpMap;
    }
    const segmentationLoss = entry.compute(batch.y, segmentation, inputs);
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
