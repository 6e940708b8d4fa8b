import { abs, add, mul, type Scalar, type Tensor } from '@tensorflow/tfjs-core';
import { type ThresholdOptions, thresholdedRatioMetric } from './dice-coefficient.js';
import { groupSum } from './grouping.js';

/**
 * Reward-penalty Dice coefficient, paper Eq. 6:
 * `2·Σ y·P′·M / (Σ y·|M| + Σ P′·|M|)` with P′ = 1 where P ≥ threshold and M the
 * reward-penalty map. An empty target with an empty prediction scores 1.
 *
 * @throws RangeError on unequal shapes, a rank outside 2–5, NaN/±Infinity in an input or a
 *   non-finite threshold.
 *
 * @example
 * import * as tf from '@tensorflow/tfjs-core';
 * const y = tf.tensor2d([[1, 1, 0, 0]]);
 * const map = tf.tensor2d([[1, 0.5, 0.5, -1]]);
 * rewardPenaltyDice(y, tf.tensor2d([[0.9, 0.2, 0.7, 0.8]]), map);
 * // 2·1 / (1.5 + (1 + 0.5 + 1)) = 0.5
 */
export function rewardPenaltyDice(
  yTrue: Tensor,
  yPred: Tensor,
  rpMap: Tensor,
  options: ThresholdOptions = {},
): Scalar {
  return thresholdedRatioMetric(
    {
      fn: 'rewardPenaltyDice',
      tensors: { yTrue, yPred, rpMap },
      rules: { yTrue: 'binary', yPred: 'probability', rpMap: 'map' },
      map: 'rpMap',
      sums: (binary, axes) => ({
        overlap: groupSum(mul(mul(yTrue, binary), rpMap), axes),
        total: groupSum(mul(add(yTrue, binary), abs(rpMap)), axes),
      }),
    },
    options,
  );
}
