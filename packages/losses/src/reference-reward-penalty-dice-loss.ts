import { abs, add, mul, type Scalar, type Tensor } from '@tensorflow/tfjs-core';
import type { AnalyticStrategy } from './analytic-ratio.js';
import { type DiceTypeLossOptions, diceTypeLoss } from './dice-type-loss.js';
import type { GradientMode } from './gradient-mode.js';
import { groupSum } from './grouping.js';

export interface ReferenceRewardPenaltyDiceLossOptions extends DiceTypeLossOptions {
  /** Added to numerator and denominator. Default 1, the authors' code. */
  smooth?: number;
  /**
   * `'analytic'` (default): the exact gradient `∂L/∂Pᵢ = (A − 2·Tᵢ·B) / B²` (A = 2·Σ T·P + s,
   * B = Σ |T| + Σ P + s) through `customGrad`, `target` a constant; `'autodiff'`: tfjs differentiates.
   */
  gradient?: GradientMode;
}

/**
 * The reward-penalty Dice loss as the authors' published code computes it:
 * `1 − (2·Σ T·P + s) / (Σ |T| + Σ P + s)`, where T is the target built by `referenceTarget`
 * in `@rpdl/rpmap` (one annotation × annotation counts, penalty where nobody marked, 0 where
 * only this annotator marked, all ÷ divisor).
 *
 * This is not Eq. 3: the target and the map are one tensor, so penalised voxels lower the
 * numerator directly (T < 0 there) instead of only raising the denominator through |M|; P is
 * not weighted by |M| in the denominator; and voxels marked by this annotator alone, or only by
 * others, weigh 0.
 *
 * @param target T from `referenceTarget`, rank 2–5.
 * @param yPred predicted probabilities, same shape.
 * @throws RangeError on unequal shapes, a rank outside 2–5, NaN/±Infinity in an input, a
 *   negative smooth, or smooth 0 with a zero denominator.
 *
 * @example
 * import * as tf from '@tensorflow/tfjs-core';
 * const target = tf.tensor2d([[1, 3 / 7, 0, -1]]); // referenceTarget(..., { penalty: -7, divisor: 7 })
 * const p = tf.tensor2d([[0.9, 0.6, 0.4, 0.1]]);
 * referenceRewardPenaltyDiceLoss(target, p); // 1 − (2·(0.9 + 0.6·3/7 − 0.1) + 1) / (17/7 + 2 + 1)
 */
export function referenceRewardPenaltyDiceLoss(
  target: Tensor,
  yPred: Tensor,
  options: ReferenceRewardPenaltyDiceLossOptions = {},
): Scalar {
  return referenceRewardPenaltyDiceLossWith(target, yPred, options);
}

/** {@link referenceRewardPenaltyDiceLoss} with the analytic layout forced, so tests can cover both. */
export function referenceRewardPenaltyDiceLossWith(
  target: Tensor,
  yPred: Tensor,
  options: ReferenceRewardPenaltyDiceLossOptions,
  strategy?: AnalyticStrategy,
): Scalar {
  return diceTypeLoss(
    {
      fn: 'referenceRewardPenaltyDiceLoss',
      tensors: { target, yPred },
      // T mixes target and map (values up to K/divisor and the penalty), so only P has a range rule.
      rules: { yPred: 'probability' },
      autodiffKernels: ['Abs'],
      autodiff: (axes) => ({
        overlap: groupSum(mul(target, yPred), axes),
        total: add(groupSum(abs(target), axes), groupSum(yPred, axes)),
      }),
      terms: () => ({ reward: target, constant: [abs(target)] }),
      fused: { target, absTarget: true },
    },
    options,
    strategy,
  );
}
