import { add, mul, type Scalar, type Tensor, tidy } from '@tensorflow/tfjs-core';
import { type AnalyticStrategy, analyticLoss } from './analytic-ratio.js';
import { smoothedRatioLoss } from './dice-ratio.js';
import { assertGradientsRegistered, RATIO_KERNELS } from './gradient-check.js';
import { type GradientMode, resolveGradientMode } from './gradient-mode.js';
import { assertGrouping, type GroupingOptions, groupSum, reductionAxes } from './grouping.js';
import {
  assertSameShape,
  assertSmooth,
  type CheckedInputs,
  resolveValidate,
  type ValidationOptions,
} from './validate.js';

export interface DiceLossOptions extends GroupingOptions, ValidationOptions {
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
  const fn = 'diceLoss';
  const smooth = options.smooth ?? 1;
  assertSmooth(fn, smooth);
  assertGrouping(fn, options);
  const tensors = { yTrue, yPred };
  assertSameShape(fn, tensors);
  const gradient = resolveGradientMode(fn, options.gradient, yPred);
  const checked: CheckedInputs = {
    tensors,
    rules: { yTrue: 'binary', yPred: 'probability' },
    validate: resolveValidate(fn, options),
  };
  const axes = reductionAxes(yTrue.rank, options);
  if (gradient === 'autodiff') {
    assertGradientsRegistered(fn, RATIO_KERNELS);
    return tidy(() => {
      // Functional ops only: chained tensor methods need a side-effect import this package must not force.
      const overlap = groupSum(mul(yTrue, yPred), axes);
      const total = add(groupSum(yTrue, axes), groupSum(yPred, axes));
      return smoothedRatioLoss(fn, overlap, total, smooth, checked);
    });
  }
  const terms = () => ({ reward: yTrue, constant: [yTrue] as [Tensor] });
  const config = { fn, shape: yTrue.shape, smooth, axes, checked, terms };
  return analyticLoss(config, { target: yTrue, absTarget: false }, strategy)(yPred);
}
