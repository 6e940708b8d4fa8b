import {
  abs,
  add,
  customGrad,
  div,
  type GradSaveFunc,
  mul,
  type Scalar,
  square,
  sub,
  type Tensor,
  tidy,
} from '@tensorflow/tfjs-core';
import { smoothedRatioLoss } from './dice-ratio.js';
import {
  assertGrouping,
  type GroupingOptions,
  groupCount,
  groupSum,
  reductionAxes,
} from './grouping.js';
import { assertSameShape, assertSmooth } from './validate.js';

/** How the gradient with respect to `yPred` is obtained. */
export type GradientMode = 'analytic' | 'autodiff';

export interface RewardPenaltyDiceLossOptions extends GroupingOptions {
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
 *   negative smooth, smooth 0 with a zero denominator, or an unknown gradient mode.
 *
 * @example
 * import * as tf from '@tensorflow/tfjs-core';
 * const y = tf.tensor2d([[1, 1, 0, 0]]);
 * const map = tf.tensor2d([[1, 0.5, 0.5, -1]]); // 2 annotators; the last voxel nobody marked
 * const p = tf.tensor2d([[0.9, 0.6, 0.4, 0.1]]);
 * const loss = rewardPenaltyDiceLoss(y, p, map); // 1 − (2·1.2 + 1) / (1.5 + 1.4 + 1)
 * const grad = tf.grad((q: tf.Tensor) => rewardPenaltyDiceLoss(y, q, map))(p);
 */
export function rewardPenaltyDiceLoss(
  yTrue: Tensor,
  yPred: Tensor,
  rpMap: Tensor,
  options: RewardPenaltyDiceLossOptions = {},
): Scalar {
  const fn = 'rewardPenaltyDiceLoss';
  const smooth = options.smooth ?? 1;
  const gradient = options.gradient ?? 'analytic';
  assertSmooth(fn, smooth);
  assertGrouping(fn, options);
  if (gradient !== 'analytic' && gradient !== 'autodiff') {
    throw new RangeError(
      `${fn}: gradient must be 'analytic' or 'autodiff', got ${String(gradient)}`,
    );
  }
  const inputs = { yTrue, yPred, rpMap };
  assertSameShape(fn, inputs);
  const axes = reductionAxes(yTrue.rank, options);
  if (gradient === 'autodiff') {
    return tidy(() => {
      const absMap = abs(rpMap);
      const overlap = groupSum(mul(mul(yTrue, rpMap), yPred), axes);
      const total = groupSum(mul(add(yTrue, yPred), absMap), axes);
      return smoothedRatioLoss(fn, overlap, total, smooth, inputs);
    });
  }
  if (yPred.dtype !== 'float32') {
    throw new TypeError(`${fn}: yPred must be float32 probabilities, got dtype ${yPred.dtype}`);
  }
  const groups = groupCount(yTrue.shape, axes);
  // yTrue and rpMap are closed over rather than passed in: they are targets, and a zero gradient
  // for them would be a silent lie, whereas tfjs refuses a gradient for a tensor it cannot reach.
  const loss = customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const [p, save] = args as [Tensor, GradSaveFunc];
    const absMap = abs(rpMap);
    const rewarded = mul(yTrue, rpMap);
    const overlap = groupSum(mul(rewarded, p), axes);
    const total = groupSum(mul(add(yTrue, p), absMap), axes);
    const value = smoothedRatioLoss(fn, overlap, total, smooth, inputs);
    // Both full-size factors of the gradient are already here; keeping them saves recomputing.
    save([absMap, rewarded, overlap, total]);
    return {
      value,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [savedAbs, savedRewarded, savedOverlap, savedTotal] = saved as [
          Tensor,
          Tensor,
          Tensor,
          Tensor,
        ];
        const b = add(savedTotal, smooth);
        const perGroup = div(dy, groups);
        // ∂L/∂Pᵢ = (A·|Mᵢ|/B² − 2·yᵢMᵢ/B) per group, A = 2·overlap + s, B = total + s.
        const absCoefficient = div(mul(perGroup, add(mul(savedOverlap, 2), smooth)), square(b));
        const rewardCoefficient = div(mul(perGroup, 2), b);
        return sub(mul(savedAbs, absCoefficient), mul(savedRewarded, rewardCoefficient));
      },
    };
  });
  return loss(yPred) as Scalar;
}
