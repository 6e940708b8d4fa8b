import {
  abs,
  add,
  cast,
  greaterEqual,
  mul,
  type Scalar,
  sum,
  type Tensor,
  tidy,
} from '@tensorflow/tfjs-core';
import { assertThreshold, type ThresholdOptions } from './dice-coefficient.js';
import { ratioMetric } from './dice-ratio.js';
import { groupSum, reductionAxes } from './grouping.js';
import {
  assertMapDtype,
  assertSameShape,
  type CheckedInputs,
  resolveValidate,
} from './validate.js';

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
  const fn = 'rewardPenaltyDice';
  const threshold = assertThreshold(fn, options);
  const inputs = { yTrue, yPred, rpMap };
  assertSameShape(fn, inputs);
  assertMapDtype(fn, 'rpMap', rpMap);
  const checked: CheckedInputs = {
    tensors: inputs,
    rules: { yTrue: 'binary', yPred: 'probability', rpMap: 'map' },
    validate: resolveValidate(fn, options),
  };
  return tidy(() => {
    const axes = reductionAxes(yTrue.rank, options);
    const binary = cast(greaterEqual(yPred, threshold), 'float32');
    const absMap = abs(rpMap);
    const overlap = groupSum(mul(mul(yTrue, binary), rpMap), axes);
    const total = groupSum(mul(add(yTrue, binary), absMap), axes);
    return ratioMetric(fn, overlap, total, [sum(mul(yPred, 0))], checked);
  });
}
