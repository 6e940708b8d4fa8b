import {
  add,
  cast,
  greaterEqual,
  mul,
  type Scalar,
  sum,
  type Tensor,
  tidy,
} from '@tensorflow/tfjs-core';
import { ratioMetric } from './dice-ratio.js';
import { assertGrouping, type GroupingOptions, groupSum, reductionAxes } from './grouping.js';
import { resolveThreshold } from './threshold-rule.js';
import {
  assertMapDtype,
  assertSameShape,
  resolveValidate,
  type ValidationOptions,
  type ValueRule,
} from './validate.js';

export interface ThresholdOptions extends GroupingOptions, ValidationOptions {
  /** P is binarised as P′ = 1 where P ≥ threshold, else 0. Default 0.5 (the paper). */
  threshold?: number;
}

/**
 * Dice coefficient, paper Eq. 5: `2·Σ y·P′ / (Σ y + Σ P′)` with P′ = 1 where P ≥ threshold.
 * An empty target with an empty prediction scores 1.
 *
 * @throws RangeError on unequal shapes, a rank outside 2–5, NaN/±Infinity in an input or a
 *   non-finite threshold.
 *
 * @example
 * import * as tf from '@tensorflow/tfjs-core';
 * diceCoefficient(tf.tensor2d([[1, 1, 0]]), tf.tensor2d([[0.9, 0.2, 0.7]])); // 2·1 / (2 + 2) = 0.5
 * // typed arrays, no tfjs: `dice` from '@rpdl/losses/metrics' (same rule, same result)
 */
export function diceCoefficient(
  yTrue: Tensor,
  yPred: Tensor,
  options: ThresholdOptions = {},
): Scalar {
  return thresholdedRatioMetric(
    {
      fn: 'diceCoefficient',
      tensors: { yTrue, yPred },
      rules: { yTrue: 'binary', yPred: 'probability' },
      sums: (binary, axes) => ({
        overlap: groupSum(mul(yTrue, binary), axes),
        total: add(groupSum(yTrue, axes), groupSum(binary, axes)),
      }),
    },
    options,
  );
}

/** What one thresholded Dice-type metric is; {@link thresholdedRatioMetric} does the rest. */
export interface ThresholdedMetricSpec {
  /** The metric's public name, for error messages. */
  fn: string;
  /** The named inputs, in the order their shapes are compared; `yPred` is the prediction. */
  tensors: Readonly<Record<string, Tensor>> & { readonly yPred: Tensor };
  /** The value rule of each input that has one. */
  rules: Readonly<Record<string, ValueRule>>;
  /** The input that is a reward-penalty map, checked to be float32. */
  map?: string;
  /** The per-group overlap and total from the binarised prediction P′. */
  sums: (binary: Tensor, axes: readonly number[]) => { overlap: Tensor; total: Tensor };
}

/**
 * Checks the options and inputs of a thresholded metric, binarises the prediction
 * (P′ = 1 where P ≥ threshold) and returns the mean over groups of `2·overlap / total`.
 *
 * @example
 * import * as tf from '@tensorflow/tfjs-core';
 * const yTrue = tf.tensor2d([[1, 1, 0]]);
 * const yPred = tf.tensor2d([[0.9, 0.2, 0.7]]);
 * thresholdedRatioMetric(
 *   {
 *     fn: 'diceCoefficient',
 *     tensors: { yTrue, yPred },
 *     rules: { yTrue: 'binary', yPred: 'probability' },
 *     sums: (binary, axes) => ({
 *       overlap: groupSum(tf.mul(yTrue, binary), axes),
 *       total: tf.add(groupSum(yTrue, axes), groupSum(binary, axes)),
 *     }),
 *   },
 *   {},
 * ); // 0.5
 */
export function thresholdedRatioMetric(
  spec: ThresholdedMetricSpec,
  options: ThresholdOptions,
): Scalar {
  const { fn, tensors } = spec;
  const threshold = assertThreshold(fn, options);
  assertSameShape(fn, tensors);
  if (spec.map !== undefined) assertMapDtype(fn, spec.map, tensors[spec.map]!);
  const checked = { tensors, rules: spec.rules, validate: resolveValidate(fn, options) };
  const { yPred } = tensors;
  return tidy(() => {
    const axes = reductionAxes(yPred.rank, options);
    const binary = cast(greaterEqual(yPred, threshold), 'float32');
    const { overlap, total } = spec.sums(binary, axes);
    // Thresholding turns NaN into 0, so the prediction is probed before it (x·0 is NaN for NaN/±∞).
    return ratioMetric(fn, overlap, total, [sum(mul(yPred, 0))], checked);
  });
}

export function assertThreshold(fn: string, options: ThresholdOptions): number {
  assertGrouping(fn, options);
  return resolveThreshold(fn, options.threshold);
}
