import { add, div, mul, type Scalar, sub, sum, type Tensor, tidy } from '@tensorflow/tfjs-core';

export interface DiceLossOptions {
  /** Added to numerator and denominator (paper Eq. 2's ε); the authors' code used 1. */
  smooth?: number;
}

/**
 * Dice loss, paper Eq. 2: `1 − (2·Σ y·P + s) / (Σ y + Σ P + s)`, sums over the whole batch.
 *
 * @example
 * const loss = diceLoss(tf.tensor2d([[1, 0]]), tf.tensor2d([[0.9, 0.2]]));
 */
export function diceLoss(yTrue: Tensor, yPred: Tensor, options: DiceLossOptions = {}): Scalar {
  const smooth = options.smooth ?? 1;
  if (!Number.isFinite(smooth) || smooth < 0) {
    throw new RangeError(`diceLoss: smooth must be a finite number ≥ 0, got ${smooth}`);
  }
  if (yTrue.shape.join(',') !== yPred.shape.join(',')) {
    throw new RangeError(
      `diceLoss: yTrue shape [${yTrue.shape}] and yPred shape [${yPred.shape}] must be equal`,
    );
  }
  return tidy(() => {
    // Functional ops only: chained tensor methods need a side-effect import this package must not force.
    const overlap = sum(mul(yTrue, yPred));
    const total = add(sum(yTrue), sum(yPred));
    return sub(1, div(add(mul(overlap, 2), smooth), add(total, smooth))) as Scalar;
  });
}
