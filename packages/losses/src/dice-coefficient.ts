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
  assertSameShape,
  type CheckedInputs,
  resolveValidate,
  type ValidationOptions,
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
  const fn = 'diceCoefficient';
  const threshold = assertThreshold(fn, options);
  const inputs = { yTrue, yPred };
  assertSameShape(fn, inputs);
  const checked: CheckedInputs = {
    tensors: inputs,
    rules: { yTrue: 'binary', yPred: 'probability' },
    validate: resolveValidate(fn, options),
  };
  return tidy(() => {
    const axes = reductionAxes(yTrue.rank, options);
    const binary = cast(greaterEqual(yPred, threshold), 'float32');
    const overlap = groupSum(mul(yTrue, binary), axes);
    const total = add(groupSum(yTrue, axes), groupSum(binary, axes));
    // Thresholding turns NaN into 0, so the prediction is probed before it (x·0 is NaN for NaN/±∞).
    return ratioMetric(fn, overlap, total, [sum(mul(yPred, 0))], checked);
  });
}

export function assertThreshold(fn: string, options: ThresholdOptions): number {
  assertGrouping(fn, options);
  return resolveThreshold(fn, options.threshold);
}
