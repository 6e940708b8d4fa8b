import { add, mul, type Scalar, type Tensor } from '@tensorflow/tfjs-core';
import type { AnalyticStrategy } from './analytic-ratio.js';
import { type DiceTypeLossOptions, diceTypeLoss } from './dice-type-loss.js';
import type { GradientMode } from './gradient-mode.js';
import { groupSum } from './grouping.js';

export interface DiceLossOptions extends DiceTypeLossOptions {
  /** Added to numerator and denominator (paper Eq. 2's ε). Default 1, the authors' code. */
  smooth?: number;
  /**
   * `'analytic'` (default): the exact gradient `∂L/∂Pᵢ = (A − 2·yᵢ·B) / B²` (A = 2·Σ y·P + s,
   * B = Σ y + Σ P + s) through `customGrad`, `yTrue` a constant; `'autodiff'`: tfjs differentiates.
   */
  gradient?: GradientMode;
}

/**
 * Dice loss, paper Eq. 2: `1 − (2·Σ y·P + s) / (Σ y + Σ P + s)`, sums over the whole batch
 * (or per sample / per channel, see {@link GroupingOptions}).
 *
 * @param yTrue binary ground truth, rank 2–5.
 * @param yPred predicted probabilities (sigmoid output), same shape.
 * @throws RangeError on unequal shapes, a rank outside 2–5, NaN/±Infinity in an input, a
 *   negative smooth, or smooth 0 with an empty target and prediction.
 *
 * @example
 * import * as tf from '@tensorflow/tfjs-core';
 * const loss = diceLoss(tf.tensor2d([[1, 0, 1]]), tf.tensor2d([[0.5, 0.5, 1]]));
 * loss.print(); // 0.2 = 1 − (2·1.5 + 1) / (2 + 2 + 1)
 */
export function diceLoss(yTrue: Tensor, yPred: Tensor, options: DiceLossOptions = {}): Scalar {
  return diceLossWith(yTrue, yPred, options);
}

/** {@link diceLoss} with the analytic layout forced, so tests can cover both. */
export function diceLossWith(
  yTrue: Tensor,
  yPred: Tensor,
  options: DiceLossOptions,
  strategy?: AnalyticStrategy,
): Scalar {
  return diceTypeLoss(
    {
      fn: 'diceLoss',
      tensors: { yTrue, yPred },
      rules: { yTrue: 'binary', yPred: 'probability' },
      autodiffKernels: [],
      // Functional ops only: chained tensor methods need a side-effect import this package must not force.
      autodiff: (axes) => ({
        overlap: groupSum(mul(yTrue, yPred), axes),
        total: add(groupSum(yTrue, axes), groupSum(yPred, axes)),
      }),
      terms: () => ({ reward: yTrue, constant: [yTrue] }),
      fused: { target: yTrue, absTarget: false },
    },
    options,
    strategy,
  );
}
