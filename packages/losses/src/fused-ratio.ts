import {
  customGrad,
  type GradSaveFunc,
  type Scalar,
  type Tensor,
  tensor,
  tensor1d,
} from '@tensorflow/tfjs-core';
import { smoothedRatioLoss } from './dice-ratio.js';
import { arrayStats, type CheckedInputs, type ValueStats } from './validate.js';

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
        }
      } else if (m === undefined) {
        for (let i = 0; i < size; i++) {
          const ti = t[i]!;
          o += ti * q[i]!;
          n += (absTarget ? Math.abs(ti) : ti) + q[i]!;
        }
      } else {
        for (let i = 0; i < size; i++) {
          const mi = m[i]!;
          o += t[i]! * mi * q[i]!;
          n += (t[i]! + q[i]!) * Math.abs(mi);
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
        }
      }
    }
    const overlap32 = Float32Array.from(overlap);
    const total32 = Float32Array.from(total);
    // The inputs are typed arrays in this thread: their ranges cost a scan, not a download.
    const stats: Record<string, ValueStats> = {};
    if (checked.validate) {
      for (const [name, rule] of Object.entries(checked.rules)) {
        stats[name] = arrayStats(checked.tensors[name]!.dataSync() as ArrayLike<number>, rule);
      }
    }
    const value = smoothedRatioLoss(
      fn,
      tensor1d(overlap32),
      tensor1d(total32),
      smooth,
      checked,
      stats,
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
