import {
  customGrad,
  type GradSaveFunc,
  type Scalar,
  type Tensor,
  tensor,
  tensor1d,
} from '@tensorflow/tfjs-core';
import { smoothedRatioLoss } from './dice-ratio.js';
import type { CheckedInputs, ValueRule } from './validate.js';

/**
 * The target side of a Dice-type loss `1 − mean_g (2·Σ o + s) / (Σ c + Σ b·P + s)`, read
 * straight from the input tensors: with a map M, o = t·M·P, b = |M|, c = t·|M| (RPDL, Eq. 3);
 * without, o = t·P, b = 1 and c = |t| (authors'-code loss) or t (Dice loss, Eq. 2); with
 * `overlap: 'minimum'`, o = min(P, t), b = 1, c = t (soft Dice loss).
 */
export interface FusedTerms {
  target: Tensor;
  map?: Tensor;
  absTarget: boolean;
  /** `'product'` (default): o = a·P, linear in P; `'minimum'`: o = min(P, t), no map. */
  overlap?: 'product' | 'minimum';
}

/** ∂min(P, t)/∂P, with ½ at P = t (where ∂|P − t|/∂P is taken as 0). */
function minimumSlope(q: number, t: number): number {
  return q < t ? 1 : q === t ? 0.5 : 0;
}

export interface FusedConfig {
  fn: string;
  shape: readonly number[];
  smooth: number;
  /** The axes the sums run over (see `reductionAxes`): all, or all but axis 0 and/or the last. */
  axes: readonly number[];
  checked: CheckedInputs;
}

/**
 * A Dice-type loss and its exact gradient in one pass over the data each way, for the tfjs cpu
 * backend, whose tensors are plain typed arrays in this thread: a loop that reads target, map and
 * prediction once replaces the five to eight full-size tensors the same work takes in tfjs ops
 * (each a separate pass and allocation, binary ones several times slower than unary ones there).
 * Sums are accumulated in float64 and rounded to float32, the gradient written as float32.
 *
 * With A = 2·Σ o + s, B = Σ c + Σ b·P + s per group, G groups and aᵢ = ∂oᵢ/∂Pᵢ,
 * `∂L/∂Pᵢ = (A·bᵢ/B² − 2·aᵢ/B) / G`. The targets are closed over, not inputs of the gradient:
 * a zero gradient for them would be a silent lie, whereas tfjs refuses one it cannot reach.
 */
export function fusedLoss(config: FusedConfig, terms: FusedTerms): (p: Tensor) => Scalar {
  const { fn, shape, smooth, axes, checked } = config;
  const { target, map, absTarget } = terms;
  const minimum = terms.overlap === 'minimum';
  const rank = shape.length;
  const size = shape.reduce((a, b) => a * b, 1);
  const batch = shape[0]!;
  const channels = shape[rank - 1]!;
  const keepBatch = !axes.includes(0);
  const keepChannel = !axes.includes(rank - 1);
  const groups = (keepBatch ? batch : 1) * (keepChannel ? channels : 1);
  // group of flat index i = ⌊i / perSample⌋·stride + i mod channels, each term switched off
  // (perSample > size, modulus 1) when that axis is summed over
  const perSample = keepBatch ? size / batch : size + 1;
  const stride = keepChannel ? channels : 1;
  const modulus = keepChannel ? channels : 1;
  const single = groups === 1;

  return customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const p = args[0] as Tensor;
    const t = target.dataSync() as ArrayLike<number>;
    const m = map?.dataSync() as ArrayLike<number> | undefined;
    const q = p.dataSync() as ArrayLike<number>;
    const overlap = new Float64Array(groups);
    const total = new Float64Array(groups);
    // The value checks ride along in the same pass (the inputs are typed arrays in this thread):
    // per voxel, u = t·(1 − t) is 0 for a binary t and ≥ 0 for t in [0, 1], P·(1 − P) < 0 means
    // P outside [0, 1], M² > 1 means |M| > 1. Only a pass/fail flag is kept; on failure,
    // readChecked recomputes the ranges with reductions to name them. NaN is left to the sums.
    const check = checked.validate;
    const tRule = ruleOf(checked, target);
    const tFloor = tRule === undefined ? Number.NEGATIVE_INFINITY : 0;
    const tCeiling = tRule === 'binary' ? 0 : Number.POSITIVE_INFINITY;
    const mCeiling =
      map !== undefined && ruleOf(checked, map) === 'map' ? 1 : Number.POSITIVE_INFINITY;
    const qFloor = ruleOf(checked, p) === 'probability' ? 0 : Number.NEGATIVE_INFINITY;
    let bad = false;
    if (single) {
      // One group: plain scalar accumulators, the loop V8 optimises best.
      let o = 0;
      let n = 0;
      if (minimum) {
        for (let i = 0; i < size; i++) {
          const ti = t[i]!;
          const qi = q[i]!;
          o += Math.min(qi, ti);
          n += ti + qi;
          if (check) {
            const u = ti * (1 - ti);
            if (qi * (1 - qi) < qFloor || u < tFloor || u > tCeiling) bad = true;
          }
        }
      } else if (m === undefined) {
        for (let i = 0; i < size; i++) {
          const ti = t[i]!;
          const qi = q[i]!;
          o += ti * qi;
          n += (absTarget ? Math.abs(ti) : ti) + qi;
          if (check) {
            const u = ti * (1 - ti);
            if (qi * (1 - qi) < qFloor || u < tFloor || u > tCeiling) bad = true;
          }
        }
      } else {
        for (let i = 0; i < size; i++) {
          const ti = t[i]!;
          const mi = m[i]!;
          const qi = q[i]!;
          o += ti * mi * qi;
          n += (ti + qi) * Math.abs(mi);
          if (check) {
            const u = ti * (1 - ti);
            if (qi * (1 - qi) < qFloor || u < tFloor || u > tCeiling || mi * mi > mCeiling) {
              bad = true;
            }
          }
        }
      }
      overlap[0] = o;
      total[0] = n;
    } else {
      for (let i = 0; i < size; i++) {
        const g = Math.floor(i / perSample) * stride + (i % modulus);
        const ti = t[i]!;
        const qi = q[i]!;
        if (minimum) {
          overlap[g]! += Math.min(qi, ti);
          total[g]! += ti + qi;
        } else if (m === undefined) {
          overlap[g]! += ti * qi;
          total[g]! += (absTarget ? Math.abs(ti) : ti) + qi;
        } else {
          const mi = m[i]!;
          overlap[g]! += ti * mi * qi;
          total[g]! += (ti + qi) * Math.abs(mi);
          if (check && mi * mi > mCeiling) bad = true;
        }
        if (check) {
          const u = ti * (1 - ti);
          if (qi * (1 - qi) < qFloor || u < tFloor || u > tCeiling) bad = true;
        }
      }
    }
    const overlap32 = Float32Array.from(overlap);
    const total32 = Float32Array.from(total);
    // every ruled input read here and none failing: only the sums' finiteness is left to check
    const verified =
      !bad &&
      Object.keys(checked.rules).every((k) => [target, map, p].includes(checked.tensors[k]));
    const value = smoothedRatioLoss(
      fn,
      tensor1d(overlap32),
      tensor1d(total32),
      smooth,
      checked,
      verified,
    );
    return {
      value,
      gradFunc: (dy: Tensor) => {
        const scale = (dy.dataSync()[0] as number) / groups;
        const weightCoefficient = new Float64Array(groups);
        const rewardCoefficient = new Float64Array(groups);
        for (let g = 0; g < groups; g++) {
          const b = total32[g]! + smooth;
          weightCoefficient[g] = (scale * (2 * overlap32[g]! + smooth)) / (b * b);
          rewardCoefficient[g] = (-2 * scale) / b;
        }
        const grad = new Float32Array(size);
        if (single) {
          const wc = weightCoefficient[0]!;
          const rc = rewardCoefficient[0]!;
          if (minimum)
            for (let i = 0; i < size; i++) grad[i] = wc + rc * minimumSlope(q[i]!, t[i]!);
          else if (m === undefined) for (let i = 0; i < size; i++) grad[i] = wc + rc * t[i]!;
          else for (let i = 0; i < size; i++) grad[i] = wc * Math.abs(m[i]!) + rc * t[i]! * m[i]!;
        } else {
          for (let i = 0; i < size; i++) {
            const g = Math.floor(i / perSample) * stride + (i % modulus);
            grad[i] = minimum
              ? weightCoefficient[g]! + rewardCoefficient[g]! * minimumSlope(q[i]!, t[i]!)
              : m === undefined
                ? weightCoefficient[g]! + rewardCoefficient[g]! * t[i]!
                : weightCoefficient[g]! * Math.abs(m[i]!) + rewardCoefficient[g]! * t[i]! * m[i]!;
          }
        }
        return tensor(grad, [...shape], 'float32');
      },
    };
  }) as (p: Tensor) => Scalar;
}

/** The value rule of the input that is `tensor`, if any. */
function ruleOf(checked: CheckedInputs, tensor: Tensor | undefined): ValueRule | undefined {
  for (const [name, rule] of Object.entries(checked.rules)) {
    if (checked.tensors[name] === tensor) return rule;
  }
  return undefined;
}
