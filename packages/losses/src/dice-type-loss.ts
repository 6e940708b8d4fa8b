import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import { tidy } from '@tensorflow/tfjs-core';
import { type AnalyticStrategy, analyticLoss, type RatioTerms } from './analytic-ratio.js';
import { smoothedRatioLoss } from './dice-ratio.js';
import type { FusedTerms } from './fused-ratio.js';
import { assertGradientsRegistered, RATIO_KERNELS } from './gradient-check.js';
import { type GradientMode, resolveGradientMode } from './gradient-mode.js';
import { assertGrouping, type GroupingOptions, reductionAxes } from './grouping.js';
import {
  assertMapDtype,
  assertSameShape,
  assertSmooth,
  resolveValidate,
  type ValidationOptions,
  type ValueRule,
} from './validate.js';

/** The options every Dice-type loss `1 − mean_g (2·Σ o + s) / (Σ c + Σ b·P + s)` takes. */
export interface DiceTypeLossOptions extends GroupingOptions, ValidationOptions {
  /** s, added to numerator and denominator. Default 1, the authors' code. */
  smooth?: number;
  /** How the gradient with respect to `yPred` is obtained (see {@link GradientMode}). */
  gradient?: GradientMode;
}

/**
 * What one Dice-type loss is: its inputs and their value rules, and its terms written three
 * ways (tfjs forward ops for autodiff, {@link RatioTerms} for the elementwise analytic gradient,
 * {@link FusedTerms} for the fused cpu loop). Everything else (option checks, validation,
 * grouping, the choice between the three) is {@link diceTypeLoss}'s.
 */
export interface DiceTypeSpec {
  /** The loss's public name, for error messages. */
  fn: string;
  /** The named inputs, in the order their shapes are compared; `yPred` is the prediction. */
  tensors: Readonly<Record<string, Tensor>> & { readonly yPred: Tensor };
  /** The value rule of each input that has one. */
  rules: Readonly<Record<string, ValueRule>>;
  /** The input that is a reward-penalty map, checked to be float32. */
  map?: string;
  /** The kernels the autodiff form needs beyond {@link RATIO_KERNELS}. */
  autodiffKernels: readonly string[];
  /** The per-group overlap Σ o and total Σ c + Σ b·P as forward ops, for tfjs to differentiate. */
  autodiff: (axes: readonly number[]) => { overlap: Tensor; total: Tensor };
  /** The terms for the elementwise analytic gradient. */
  terms: (p: Tensor) => RatioTerms;
  /** The terms for the fused cpu loop. */
  fused: FusedTerms;
}

/**
 * Checks the options and inputs of a Dice-type loss and computes it the way `options.gradient`
 * and `strategy` ask: tfjs autodiff of the forward ops, or the exact analytic gradient
 * (fused or elementwise, see {@link AnalyticStrategy}).
 *
 * @throws RangeError on a negative smooth, unequal shapes, a rank outside 2–5, an unknown
 *   gradient mode, bad values (when validating) or smooth 0 with a zero denominator;
 *   TypeError on a non-boolean grouping or validate option, a non-float32 map, or a
 *   non-float32 prediction for the analytic gradient.
 *
 * @example
 * import * as tf from '@tensorflow/tfjs-core';
 * const yTrue = tf.tensor2d([[1, 0, 1]]);
 * const yPred = tf.tensor2d([[0.5, 0.5, 1]]);
 * const loss = diceTypeLoss(
 *   {
 *     fn: 'diceLoss',
 *     tensors: { yTrue, yPred },
 *     rules: { yTrue: 'binary', yPred: 'probability' },
 *     autodiffKernels: [],
 *     autodiff: (axes) => ({
 *       overlap: groupSum(tf.mul(yTrue, yPred), axes),
 *       total: tf.add(groupSum(yTrue, axes), groupSum(yPred, axes)),
 *     }),
 *     terms: () => ({ reward: yTrue, constant: [yTrue] }),
 *     fused: { target: yTrue, absTarget: false },
 *   },
 *   {},
 * ); // 0.2
 */
export function diceTypeLoss(
  spec: DiceTypeSpec,
  options: DiceTypeLossOptions,
  strategy?: AnalyticStrategy,
): Scalar {
  const { fn, tensors } = spec;
  const smooth = options.smooth ?? 1;
  assertSmooth(fn, smooth);
  assertGrouping(fn, options);
  assertSameShape(fn, tensors);
  if (spec.map !== undefined) assertMapDtype(fn, spec.map, tensors[spec.map]!);
  const { yPred } = tensors;
  const gradient = resolveGradientMode(fn, options.gradient, yPred);
  const checked = { tensors, rules: spec.rules, validate: resolveValidate(fn, options) };
  const axes = reductionAxes(yPred.rank, options);
  if (gradient === 'autodiff') {
    assertGradientsRegistered(fn, [...RATIO_KERNELS, ...spec.autodiffKernels]);
    return tidy(() => {
      const { overlap, total } = spec.autodiff(axes);
      return smoothedRatioLoss(fn, overlap, total, smooth, checked);
    });
  }
  const config = { fn, shape: yPred.shape, smooth, axes, checked, terms: spec.terms };
  return analyticLoss(config, spec.fused, strategy)(yPred);
}
