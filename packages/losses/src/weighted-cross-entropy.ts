import {
  add,
  clipByValue,
  div,
  log,
  log1p,
  mul,
  neg,
  type Scalar,
  sub,
  sum,
  type Tensor,
  tidy,
} from '@tensorflow/tfjs-core';
import { assertGradientsRegistered } from './gradient-check.js';
import {
  assertSameShape,
  type CheckedInputs,
  readChecked,
  resolveValidate,
  type ValidationOptions,
} from './validate.js';

/** Kernels of the forward pass, all differentiated by tfjs autodiff. */
const KERNELS = ['ClipByValue', 'Log', 'Log1p', 'Neg', 'Multiply', 'Sub', 'Add', 'Sum', 'RealDiv'];

export interface WeightedCrossEntropyOptions extends ValidationOptions {
  /** w, the foreground weight; the paper sets it to background/foreground volume (see `foregroundWeight`). Default 1. */
  weight?: number;
  /** P is clipped into [ε, 1 − ε] to keep log finite. Default 1e-7. */
  epsilon?: number;
  /** `'mean'` (default) divides by N, the voxels in the batch (Eq. 1); `'sum'` does not, as the authors' code. */
  reduction?: 'mean' | 'sum';
}

/**
 * Weighted cross-entropy, paper Eq. 1:
 * `−(1/N)·Σ [w·y·log P + (1 − y)·log(1 − P)]`, P clipped into [ε, 1 − ε].
 *
 * @param yTrue binary ground truth, rank 2–5.
 * @param yPred predicted probabilities (sigmoid output), same shape.
 * @throws RangeError on unequal shapes, a rank outside 2–5, NaN/±Infinity in an input, a weight
 *   that is not > 0, an epsilon outside (0, 0.5) or an unknown reduction.
 *
 * @example
 * import * as tf from '@tensorflow/tfjs-core';
 * // −(49·log 0.8 + log 0.9) / 2
 * weightedCrossEntropy(tf.tensor2d([[1, 0]]), tf.tensor2d([[0.8, 0.1]]), { weight: 49 });
 */
export function weightedCrossEntropy(
  yTrue: Tensor,
  yPred: Tensor,
  options: WeightedCrossEntropyOptions = {},
): Scalar {
  const fn = 'weightedCrossEntropy';
  const weight = options.weight ?? 1;
  const epsilon = options.epsilon ?? 1e-7;
  const reduction = options.reduction ?? 'mean';
  if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0) {
    throw new RangeError(`${fn}: weight must be a finite number > 0, got ${String(weight)}`);
  }
  if (typeof epsilon !== 'number' || !(epsilon > 0 && epsilon < 0.5)) {
    throw new RangeError(`${fn}: epsilon must be in (0, 0.5), got ${String(epsilon)}`);
  }
  if (reduction !== 'mean' && reduction !== 'sum') {
    throw new RangeError(`${fn}: reduction must be 'mean' or 'sum', got ${String(reduction)}`);
  }
  const tensors = { yTrue, yPred };
  assertSameShape(fn, tensors);
  const checked: CheckedInputs = {
    tensors,
    rules: { yTrue: 'binary', yPred: 'probability' },
    validate: resolveValidate(fn, options),
  };
  assertGradientsRegistered(fn, KERNELS);
  return tidy(() => {
    const clipped = clipByValue(yPred, epsilon, 1 - epsilon);
    const foreground = mul(mul(yTrue, log(clipped)), weight);
    const background = mul(sub(1, yTrue), log1p(neg(clipped)));
    const total = sum(add(foreground, background));
    // Clipping would hide an infinite prediction, so P is probed on its own (x·0 is NaN for ±∞).
    if (checked.validate) readChecked(fn, [total, sum(mul(yPred, 0))], checked);
    const negated = neg(total);
    return (reduction === 'mean' ? div(negated, yTrue.size) : negated) as Scalar;
  });
}
