import { abs, add, mul, type Scalar, type Tensor } from '@tensorflow/tfjs-core';
import { type AnalyticStrategy, rewardPenaltyTerms } from './analytic-ratio.js';
import { type DiceTypeLossOptions, diceTypeLoss } from './dice-type-loss.js';
import type { GradientMode } from './gradient-mode.js';
import { groupSum } from './grouping.js';

export interface RewardPenaltyDiceLossOptions extends DiceTypeLossOptions {
  /** Added to numerator and denominator (paper Eq. 3's ε). Default 1, the authors' code. */
  smooth?: number;
  /**
   * `'analytic'` (default): the exact closed-form gradient, registered with `customGrad`
   * (paper Eq. 4 when smooth is 0); `yTrue` and `rpMap` are then constants of the loss, and
   * asking tfjs for a gradient with respect to them fails. `'autodiff'`: tfjs differentiates
   * the forward ops, with respect to all three inputs.
   */
  gradient?: GradientMode;
}

/**
 * Reward-penalty Dice loss, paper Eq. 3:
 * `1 − (2·Σ y·P·M + s) / (Σ y·|M| + Σ P·|M| + s)`, sums over the whole batch (or per sample /
 * per channel, see {@link GroupingOptions}).
 *
 * With A = 2·Σ y·P·M + s and B = Σ y·|M| + Σ P·|M| + s the gradient is
 * `∂L/∂Pᵢ = (A·|Mᵢ| − 2·yᵢ·Mᵢ·B) / B²` (divided by the number of groups when grouped); with
 * s = 0 this is Eq. 4.
 *
 * @param yTrue one binary annotation per sample, rank 2–5.
 * @param yPred predicted probabilities (sigmoid output), same shape.
 * @param rpMap the reward-penalty map M of each sample's image (see `@rpdl/rpmap`), same shape.
 * @throws RangeError on unequal shapes, a rank outside 2–5, NaN/±Infinity in an input, a
 *   negative smooth, smooth 0 with a zero denominator, or an unknown gradient mode;
 *   TypeError when the analytic gradient is asked for a non-float32 prediction.
 *
 * @example
 * import * as tf from '@tensorflow/tfjs-core';
 * const y = tf.tensor2d([[1, 1, 0, 0]]);
 * const map = tf.tensor2d([[1, 0.5, 0.5, -1]]); // 2 annotators; the last voxel nobody marked
 * const p = tf.tensor2d([[0.9, 0.6, 0.4, 0.1]]);
 * const loss = rewardPenaltyDiceLoss(y, p, map); // 1 − (2·1.2 + 1) / (1.5 + 1.5 + 1) = 0.15
 * const grad = tf.grad((q: tf.Tensor) => rewardPenaltyDiceLoss(y, q, map))(p);
 */
export function rewardPenaltyDiceLoss(
  yTrue: Tensor,
  yPred: Tensor,
  rpMap: Tensor,
  options: RewardPenaltyDiceLossOptions = {},
): Scalar {
  return rewardPenaltyDiceLossWith(yTrue, yPred, rpMap, options);
}

/** {@link rewardPenaltyDiceLoss} with the analytic layout forced, so tests can cover both. */
export function rewardPenaltyDiceLossWith(
  yTrue: Tensor,
  yPred: Tensor,
  rpMap: Tensor,
  options: RewardPenaltyDiceLossOptions,
  strategy?: AnalyticStrategy,
): Scalar {
  return diceTypeLoss(
    {
      fn: 'rewardPenaltyDiceLoss',
      tensors: { yTrue, yPred, rpMap },
      rules: { yTrue: 'binary', yPred: 'probability', rpMap: 'map' },
      map: 'rpMap',
      autodiffKernels: ['Abs'],
      autodiff: (axes) => ({
        overlap: groupSum(mul(mul(yTrue, rpMap), yPred), axes),
        total: groupSum(mul(add(yTrue, yPred), abs(rpMap)), axes),
      }),
      terms: rewardPenaltyTerms(yTrue, rpMap),
      fused: { target: yTrue, map: rpMap, absTarget: false },
    },
    options,
    strategy,
  );
}
