import {
  abs,
  add,
  greater,
  less,
  minimum,
  mul,
  type Scalar,
  sub,
  type Tensor,
  where,
} from '@tensorflow/tfjs-core';
import type { AnalyticStrategy } from './analytic-ratio.js';
import { type DiceTypeLossOptions, diceTypeLoss } from './dice-type-loss.js';
import type { GradientMode } from './gradient-mode.js';
import { groupSum } from './grouping.js';

export interface SoftDiceLossOptions extends DiceTypeLossOptions {
  /** s, added to numerator and denominator. Default 1, as the other Dice-type losses. */
  smooth?: number;
  /**
   * `'analytic'` (default): the exact gradient through `customGrad`, `yTrue` a constant, taking
   * ∂|P − Y|/∂P = 0 at P = Y; `'autodiff'`: tfjs differentiates (its own convention at P = Y).
   */
  gradient?: GradientMode;
}

/**
 * Soft Dice loss for soft targets in [0, 1] (e.g. the mean of an image's annotations):
 * `1 − (Σ P + Σ Y − Σ |P − Y| + s) / (Σ P + Σ Y + s)`, the Dice semimetric form MONAI's
 * `soft_label=True` uses. Since P + Y − |P − Y| = 2·min(P, Y) it equals
 * `1 − (2·Σ min(P, Y) + s) / (Σ P + Σ Y + s)`, and for a binary Y and P in [0, 1] it equals the
 * Dice loss (Eq. 2), Σ min(P, Y) being Σ Y·P there.
 *
 * The analytic gradient, with N = Σ P + Σ Y − Σ |P − Y| + s and D = Σ P + Σ Y + s per group and
 * G groups, is `∂L/∂Pᵢ = (N − (1 − sign(Pᵢ − Yᵢ))·D) / (G·D²)`, with sign(0) = 0.
 *
 * @param yTrue soft target in [0, 1], rank 2–5.
 * @param yPred predicted probabilities (sigmoid output), same shape.
 * @throws RangeError on unequal shapes, a rank outside 2–5, NaN/±Infinity in an input, a
 *   negative smooth, smooth 0 with an empty target and prediction, or an unknown gradient mode;
 *   TypeError when the analytic gradient is asked for a non-float32 prediction.
 *
 * @example
 * import * as tf from '@tensorflow/tfjs-core';
 * // three annotators: Y is the fraction marking each pixel
 * const y = tf.tensor2d([[1, 2 / 3, 1 / 3, 0]]);
 * const p = tf.tensor2d([[0.9, 0.5, 0.5, 0.1]]);
 * softDiceLoss(y, p); // 1 − (2·(0.9 + 0.5 + 1/3 + 0) + 1) / (2 + 2 + 1) = 0.1066…
 */
export function softDiceLoss(
  yTrue: Tensor,
  yPred: Tensor,
  options: SoftDiceLossOptions = {},
): Scalar {
  return softDiceLossWith(yTrue, yPred, options);
}

/** {@link softDiceLoss} with the analytic layout forced, so tests can cover both. */
export function softDiceLossWith(
  yTrue: Tensor,
  yPred: Tensor,
  options: SoftDiceLossOptions,
  strategy?: AnalyticStrategy,
): Scalar {
  return diceTypeLoss(
    {
      fn: 'softDiceLoss',
      tensors: { yTrue, yPred },
      rules: { yTrue: 'soft', yPred: 'probability' },
      autodiffKernels: ['Abs'],
      autodiff: (axes) => {
        // The formula as written: the overlap is (Σ P + Σ Y − Σ |P − Y|) / 2.
        const sums = add(groupSum(yPred, axes), groupSum(yTrue, axes));
        const overlap = mul(sub(sums, groupSum(abs(sub(yPred, yTrue)), axes)), 0.5);
        return { overlap, total: sums };
      },
      terms: (p) => ({
        // ∂min(P, Y)/∂P: 1 where P < Y, 0 where P > Y, ½ where they are equal
        reward: where(less(p, yTrue), 1, where(greater(p, yTrue), 0, 0.5)),
        overlap: minimum(p, yTrue),
        constant: [yTrue],
      }),
      fused: { target: yTrue, absTarget: false, overlap: 'minimum' },
    },
    options,
    strategy,
  );
}
