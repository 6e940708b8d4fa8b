import {
  abs,
  add,
  cast,
  concat,
  customGrad,
  div,
  type GradSaveFunc,
  getBackend,
  matMul,
  mul,
  neg,
  ones,
  reshape,
  type Scalar,
  slice,
  square,
  sum,
  type Tensor,
} from '@tensorflow/tfjs-core';
import { smoothedRatioLoss } from './dice-ratio.js';
import { contiguousGroups, groupCount, groupSum } from './grouping.js';

/**
 * How an analytic Dice-type loss lays out its work. `'blocks'` views each group as one contiguous
 * row and does the sums and the gradient as small matrix products; `'elementwise'` uses
 * element-wise ops and reductions. Both compute the same loss and gradient.
 */
export type AnalyticStrategy = 'blocks' | 'elementwise';

/**
 * On the tfjs cpu backend a matrix product over a long shared axis runs in about the time of one
 * unary op, while every binary op (and much more so one that broadcasts a per-group coefficient)
 * costs several; GPU backends parallelise reductions but not one long dot product, so they keep
 * the element-wise form.
 */
export function preferredStrategy(
  shape: readonly number[],
  axes: readonly number[],
): AnalyticStrategy {
  return getBackend() === 'cpu' && contiguousGroups(shape, axes) !== null
    ? 'blocks'
    : 'elementwise';
}

/**
 * The three target-side tensors of a loss `1 − mean_g (2·Σ a·P + s) / (C + Σ b·P + s)`:
 * Dice has a = y, b = 1, C = Σ y; RPDL a = y·M, b = |M|, C = Σ y·|M|; the authors'-code loss
 * a = T, b = 1, C = Σ |T|. Built lazily, inside the loss's own scope.
 */
export interface RatioTerms {
  /** a, the numerator weight of P. */
  reward: Tensor;
  /** b, the denominator weight of P; undefined means 1. */
  weight?: Tensor;
  /** C as `[u]` (Σ u) or `[u, v]` (Σ u·v). */
  constant: [Tensor] | [Tensor, Tensor];
}

export interface AnalyticConfig {
  fn: string;
  shape: readonly number[];
  smooth: number;
  axes: readonly number[];
  inputs: Readonly<Record<string, Tensor>>;
  /** Builds the target-side terms; called once per forward pass. */
  terms: () => RatioTerms;
}

/**
 * A Dice-type loss with its exact gradient registered through `customGrad`, as a function of the
 * prediction only. With A = 2·Σ a·P + s, B = C + Σ b·P + s per group and G groups,
 * `∂L/∂Pᵢ = (A·bᵢ/B² − 2·aᵢ/B) / G`.
 *
 * The targets are closed over rather than passed in: a zero gradient for them would be a silent
 * lie, whereas tfjs refuses a gradient for a tensor it cannot reach.
 */
export function analyticLoss(
  config: AnalyticConfig,
  strategy: AnalyticStrategy,
): (p: Tensor) => Scalar {
  return strategy === 'blocks' ? blocksLoss(config) : elementwiseLoss(config);
}

/** Per-group gradient coefficients: b is scaled by A/(G·B²), a by −2/(G·B). */
function coefficients(
  dy: Tensor,
  overlap: Tensor,
  total: Tensor,
  smooth: number,
  groups: number,
): [Tensor, Tensor] {
  const b = add(total, smooth);
  const perGroup = div(dy, groups);
  return [
    div(mul(perGroup, add(mul(overlap, 2), smooth)), square(b)),
    neg(div(mul(perGroup, 2), b)),
  ];
}

function elementwiseLoss({ fn, shape, smooth, axes, inputs, terms }: AnalyticConfig) {
  const groups = groupCount(shape, axes);
  return customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const [p, save] = args as [Tensor, GradSaveFunc];
    const { reward, weight, constant } = terms();
    const [u, v] = constant;
    const overlap = groupSum(mul(reward, p), axes);
    const predicted = groupSum(weight === undefined ? p : mul(weight, p), axes);
    const total = add(groupSum(v === undefined ? u : mul(u, v), axes), predicted);
    const value = smoothedRatioLoss(fn, overlap, total, smooth, inputs);
    // The full-size factors of the gradient are already here; keeping them saves recomputing.
    save([overlap, total, reward, ...(weight === undefined ? [] : [weight])]);
    return {
      value,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [overlap, total, reward, weight] = saved as [Tensor, Tensor, Tensor, Tensor?];
        let [weightCoefficient, rewardCoefficient] = coefficients(
          dy,
          overlap,
          total,
          smooth,
          groups,
        );
        if (groups === 1) {
          // A [1, 1, …] coefficient takes the cpu backend's slow broadcasting path; a scalar does not.
          weightCoefficient = reshape(weightCoefficient, []);
          rewardCoefficient = reshape(rewardCoefficient, []);
        }
        const fromWeight =
          weight === undefined ? weightCoefficient : mul(weight, weightCoefficient);
        return add(mul(reward, rewardCoefficient), fromWeight);
      },
    };
  }) as (p: Tensor) => Scalar;
}

function blocksLoss({ fn, shape, smooth, axes, inputs, terms }: AnalyticConfig) {
  const layout = contiguousGroups(shape, axes);
  if (layout === null) throw new Error(`${fn}: the blocks layout needs contiguous groups`);
  const [groups, length] = layout;
  const rows = [groups, 1, length];
  const asRows = (t: Tensor) => reshape(cast(t, 'float32'), rows);
  return customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const [p, save] = args as [Tensor, GradSaveFunc];
    const { reward, weight, constant } = terms();
    const [u, v] = constant;
    // factors[g] = [b; a] of group g, [G, 2, length]: both gradient terms in one tensor.
    const factors = concat([weight === undefined ? ones(rows) : asRows(weight), asRows(reward)], 1);
    // [G, 2, 1] = [Σ b·P; Σ a·P]
    const withP = matMul(factors, asRows(p), false, true);
    const fixed =
      v === undefined ? sum(asRows(u), 2, true) : matMul(asRows(u), asRows(v), false, true);
    const overlap = slice(withP, [0, 1, 0], [groups, 1, 1]);
    const total = add(slice(withP, [0, 0, 0], [groups, 1, 1]), fixed);
    const value = smoothedRatioLoss(fn, overlap, total, smooth, inputs);
    save([factors, overlap, total]);
    return {
      value,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [factors, overlap, total] = saved as [Tensor, Tensor, Tensor];
        // gradᵢ = bᵢ·c₁ + aᵢ·c₂ for every group at once: factorsᵀ · [c₁; c₂]
        const perGroup = concat(coefficients(dy, overlap, total, smooth, groups), 1);
        return reshape(matMul(factors, perGroup, true, false), [...shape]);
      },
    };
  }) as (p: Tensor) => Scalar;
}

/** Terms of the reward-penalty Dice loss (Eq. 3). */
export function rewardPenaltyTerms(yTrue: Tensor, rpMap: Tensor): () => RatioTerms {
  return () => {
    const absMap = abs(rpMap);
    return { reward: mul(yTrue, rpMap), weight: absMap, constant: [absMap, yTrue] };
  };
}
