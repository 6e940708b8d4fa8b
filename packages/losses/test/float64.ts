import { prng } from '../../../tooling/testing/prng.js';

export { prng };
/**
 * Float64 references for the losses, written straight from the paper's equations with plain
 * loops, so the tfjs float32 versions can be checked against an independent computation.
 */

/** One shape of each accepted rank, 2 to 5, channels last. */
export const SHAPES_RANK_2_TO_5: readonly number[][] = [
  [4, 3],
  [2, 3, 2],
  [2, 2, 2, 3],
  [2, 2, 2, 2, 2],
];

/** The number of elements of a tensor of `shape`. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export interface Grouping {
  perSample?: boolean;
  perChannel?: boolean;
}

/** Group index of every flat (C-order) element; groups as in `GroupingOptions`. */
export function groupIndex(shape: readonly number[], grouping: Grouping): Int32Array {
  const size = sizeOf(shape);
  const batch = shape[0]!;
  const channels = shape[shape.length - 1]!;
  const perBatchItem = size / batch;
  const index = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    const b = grouping.perSample ? Math.floor(i / perBatchItem) : 0;
    const c = grouping.perChannel ? i % channels : 0;
    index[i] = b * (grouping.perChannel ? channels : 1) + c;
  }
  return index;
}

function groupTotal(shape: readonly number[], grouping: Grouping): number {
  return (
    (grouping.perSample ? shape[0]! : 1) * (grouping.perChannel ? shape[shape.length - 1]! : 1)
  );
}

export interface LossAndGradient {
  loss: number;
  /** ∂loss/∂P. */
  grad: Float64Array;
}

/** 1 − mean_g (2·Σ num + s)/(Σ den + s), with per-element numerator / denominator terms. */
function ratioLoss(
  shape: readonly number[],
  grouping: Grouping,
  smooth: number,
  num: (i: number) => number,
  den: (i: number) => number,
  dNum: (i: number) => number,
  dDen: (i: number) => number,
): LossAndGradient {
  const groups = groupTotal(shape, grouping);
  const index = groupIndex(shape, grouping);
  const a = new Float64Array(groups);
  const b = new Float64Array(groups);
  for (let i = 0; i < index.length; i++) {
    a[index[i]!]! += num(i);
    b[index[i]!]! += den(i);
  }
  let mean = 0;
  for (let g = 0; g < groups; g++) mean += (2 * a[g]! + smooth) / (b[g]! + smooth);
  mean /= groups;
  const grad = new Float64Array(index.length);
  for (let i = 0; i < index.length; i++) {
    const g = index[i]!;
    const A = 2 * a[g]! + smooth;
    const B = b[g]! + smooth;
    // quotient rule on −A/B, then the mean over groups
    grad[i] = -(2 * dNum(i) * B - A * dDen(i)) / (B * B) / groups;
  }
  return { loss: 1 - mean, grad };
}

export function diceLoss64(
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  shape: readonly number[],
  smooth = 1,
  grouping: Grouping = {},
): LossAndGradient {
  return ratioLoss(
    shape,
    grouping,
    smooth,
    (i) => y[i]! * p[i]!,
    (i) => y[i]! + p[i]!,
    (i) => y[i]!,
    () => 1,
  );
}

export function rewardPenaltyDiceLoss64(
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  m: ArrayLike<number>,
  shape: readonly number[],
  smooth = 1,
  grouping: Grouping = {},
): LossAndGradient {
  return ratioLoss(
    shape,
    grouping,
    smooth,
    (i) => y[i]! * p[i]! * m[i]!,
    (i) => y[i]! * Math.abs(m[i]!) + p[i]! * Math.abs(m[i]!),
    (i) => y[i]! * m[i]!,
    (i) => Math.abs(m[i]!),
  );
}

export function referenceLoss64(
  t: ArrayLike<number>,
  p: ArrayLike<number>,
  shape: readonly number[],
  smooth = 1,
  grouping: Grouping = {},
): LossAndGradient {
  return ratioLoss(
    shape,
    grouping,
    smooth,
    (i) => t[i]! * p[i]!,
    (i) => Math.abs(t[i]!) + p[i]!,
    (i) => t[i]!,
    () => 1,
  );
}

export function weightedCrossEntropy64(
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  weight: number,
  epsilon: number,
  reduction: 'mean' | 'sum',
): number {
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(Math.max(p[i]!, epsilon), 1 - epsilon);
    total += weight * y[i]! * Math.log(q) + (1 - y[i]!) * Math.log(1 - q);
  }
  return reduction === 'mean' ? -total / y.length : -total;
}

/** Eq. 6 (Eq. 5 when every M is 1), thresholded at P ≥ threshold; 0/0 scores 1. */
export function rewardPenaltyDice64(
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  m: ArrayLike<number> | undefined,
  threshold: number,
): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < y.length; i++) {
    const q = p[i]! >= threshold ? 1 : 0;
    const w = m === undefined ? 1 : m[i]!;
    num += y[i]! * q * w;
    den += (y[i]! + q) * Math.abs(w);
  }
  return den === 0 ? 1 : (2 * num) / den;
}

/** Relative-plus-absolute closeness, reported with the worst index on failure. */
export function maxError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!) / (1 + Math.abs(expected[i]!));
    if (Number.isNaN(err)) return Number.POSITIVE_INFINITY;
    if (err > worst) worst = err;
  }
  return worst;
}

/**
 * Soft Dice loss, `1 − (Σ P + Σ Y − Σ |P − Y| + s) / (Σ P + Σ Y + s)` per group, and its gradient
 * `(N − (1 − sign(Pᵢ − Yᵢ))·D) / (G·D²)` with sign(0) = 0, written from the formula.
 */
export function softDiceLoss64(
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  shape: readonly number[],
  smooth = 1,
  grouping: Grouping = {},
): LossAndGradient {
  const groups = groupTotal(shape, grouping);
  const index = groupIndex(shape, grouping);
  const sums = new Float64Array(groups);
  const absDiff = new Float64Array(groups);
  for (let i = 0; i < index.length; i++) {
    sums[index[i]!]! += p[i]! + y[i]!;
    absDiff[index[i]!]! += Math.abs(p[i]! - y[i]!);
  }
  let mean = 0;
  for (let g = 0; g < groups; g++) mean += (sums[g]! - absDiff[g]! + smooth) / (sums[g]! + smooth);
  const grad = new Float64Array(index.length);
  for (let i = 0; i < index.length; i++) {
    const g = index[i]!;
    const n = sums[g]! - absDiff[g]! + smooth;
    const d = sums[g]! + smooth;
    grad[i] = (n - (1 - Math.sign(p[i]! - y[i]!)) * d) / (groups * d * d);
  }
  return { loss: 1 - mean / groups, grad };
}
