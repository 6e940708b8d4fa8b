import {
  abs,
  add,
  customGrad,
  div,
  type GradSaveFunc,
  getBackend,
  mul,
  neg,
  reshape,
  type Scalar,
  square,
  type Tensor,
} from '@tensorflow/tfjs-core';
import { smoothedRatioLoss } from './dice-ratio.js';
import { type FusedTerms, fusedLoss } from './fused-ratio.js';
import { groupCount, groupSum } from './grouping.js';
import type { CheckedInputs } from './validate.js';

/**
 * How an analytic Dice-type loss does its work: `'fused'` reads the typed arrays of the cpu
 * backend in one loop each way (see `fusedLoss`); `'elementwise'` uses tfjs ops and reductions,
 * on any backend. Both compute the same loss and gradient.
 */
export type AnalyticStrategy = 'fused' | 'elementwise';

/** The fused loop only makes sense where tensors are typed arrays in this thread: the cpu backend. */
export function preferredStrategy(): AnalyticStrategy {
  return getBackend() === 'cpu' ? 'fused' : 'elementwise';
}

/**
 * The target-side tensors of a loss `1 − mean_g (2·Σ o + s) / (C + Σ b·P + s)` whose overlap
 * terms o have the derivative a = ∂o/∂P: Dice has o = y·P, a = y, b = 1, C = Σ y; RPDL
 * o = y·M·P, a = y·M, b = |M|, C = Σ y·|M|; the authors'-code loss o = T·P, a = T, b = 1,
 * C = Σ |T|; the soft Dice loss o = min(P, y), a = 1 where P < y, ½ where P = y, 0 elsewhere,
 * b = 1, C = Σ y. Built lazily from the prediction, inside the loss's own scope.
 */
export interface RatioTerms {
  /** a, the derivative of the overlap term with respect to P. */
  reward: Tensor;
  /** o, the overlap terms; undefined means a·P (a loss linear in P). */
  overlap?: Tensor;
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
  checked: CheckedInputs;
  /** Builds the target-side terms from the prediction; called once per forward pass. */
  terms: (p: Tensor) => RatioTerms;
}

/**
 * A Dice-type loss with its exact gradient registered through `customGrad`, as a function of the
 * prediction only. With A = 2·Σ o + s, B = C + Σ b·P + s per group and G groups,
 * `∂L/∂Pᵢ = (A·bᵢ/B² − 2·aᵢ/B) / G`.
 *
 * The targets are closed over rather than passed in: a zero gradient for them would be a silent
 * lie, whereas tfjs refuses a gradient for a tensor it cannot reach.
 */
export function analyticLoss(
  config: AnalyticConfig,
  fused: FusedTerms,
  strategy: AnalyticStrategy = preferredStrategy(),
): (p: Tensor) => Scalar {
  return strategy === 'fused' ? fusedLoss(config, fused) : elementwiseLoss(config);
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

function elementwiseLoss({ fn, shape, smooth, axes, checked, terms }: AnalyticConfig) {
  const groups = groupCount(shape, axes);
  return customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const [p, save] = args as [Tensor, GradSaveFunc];
    const { reward, overlap: overlapTerms, weight, constant } = terms(p);
    const [u, v] = constant;
    const overlap = groupSum(overlapTerms ?? mul(reward, p), axes);
    const predicted = groupSum(weight === undefined ? p : mul(weight, p), axes);
    const total = add(groupSum(v === undefined ? u : mul(u, v), axes), predicted);
    const value = smoothedRatioLoss(fn, overlap, total, smooth, checked);
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

/** Terms of the reward-penalty Dice loss (Eq. 3). */
export function rewardPenaltyTerms(yTrue: Tensor, rpMap: Tensor): () => RatioTerms {
  return () => {
    const absMap = abs(rpMap);
    return { reward: mul(yTrue, rpMap), weight: absMap, constant: [absMap, yTrue] };
  };
}
