import '../test/cpu-backend.js';
// Autodiff needs the op gradients, which tfjs-core alone does not register.
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { grad, memory, type Tensor, tensor, tensor2d, tidy } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  diceLoss64,
  maxError,
  prng,
  referenceLoss64,
  rewardPenaltyDiceLoss64,
  sizeOf,
} from '../test/float64.js';
import {
  GROUPINGS,
  gradientAt,
  VARIANTS,
  type VariantOptions,
  variantArgs,
} from '../test/variants.js';
import { preferredStrategy } from './analytic-ratio.js';
import { rewardPenaltyDiceLoss } from './index.js';
import {
  type RewardPenaltyDiceLossOptions,
  rewardPenaltyDiceLossWith,
} from './reward-penalty-dice-loss.js';

type Options = VariantOptions<RewardPenaltyDiceLossOptions>;

function rpdl(y: Tensor, p: Tensor, m: Tensor, options: Options = {}) {
  return rewardPenaltyDiceLossWith(y, p, m, ...variantArgs(options));
}

function gradOf(y: Tensor, p: Tensor, m: Tensor, options: Options): Float32Array {
  return gradientAt((q) => rpdl(y, q, m, options), p);
}

describe('rewardPenaltyDiceLoss', () => {
  // 2 annotators; M = [1, 0.5, 0.5, −1]: voxel 0 both marked, 1 and 2 one each, 3 nobody.
  const y = tensor2d([[1, 1, 0, 0]]);
  const m = tensor2d([[1, 0.5, 0.5, -1]]);
  const p = tensor2d([[0.9, 0.6, 0.4, 0.1]]);

  it('matches hand-derived values (Eq. 3)', () => {
    // Σ yPM = 0.9 + 0.3 = 1.2; Σ y|M| = 1.5; Σ P|M| = 0.9 + 0.3 + 0.2 + 0.1 = 1.5
    for (const variant of VARIANTS) {
      // s = 1: 1 − (2.4 + 1) / (3 + 1) = 0.15
      expect(rpdl(y, p, m, { variant }).dataSync()[0]).toBeCloseTo(0.15, 6);
      // s = 0: 1 − 2.4 / 3 = 0.2
      expect(rpdl(y, p, m, { smooth: 0, variant }).dataSync()[0]).toBeCloseTo(0.2, 6);
    }
  });

  it('has the paper Eq. 4 gradient when smooth is 0 (hand-derived)', () => {
    // Eq. 4: ∂/∂Pᵢ = 2·(|Mᵢ|·Σ yPM − yᵢMᵢ·B) / B², Σ yPM = 1.2, B = 3
    // i0: 2(1.2 − 3)/9 = −0.4; i1: 2(0.6 − 1.5)/9 = −0.2; i2: 2·0.6/9 = 0.1333…; i3: 2·1.2/9 = 0.2666…
    const expected = [-0.4, -0.2, 1.2 / 9, 2.4 / 9];
    for (const variant of VARIANTS) {
      const g = gradOf(y, p, m, { smooth: 0, variant });
      for (let i = 0; i < 4; i++) expect(g[i]).toBeCloseTo(expected[i]!, 6);
    }
  });

  it('agrees with a float64 reference, analytic and autodiff alike (random cases)', () => {
    const rand = prng(11);
    const shapes = [
      [3, 5],
      [2, 4, 3],
      [2, 3, 3, 2],
      [2, 2, 3, 2, 2],
    ];
    for (const shape of shapes) {
      for (const grouping of GROUPINGS) {
        const n = sizeOf(shape);
        const yv = Array.from({ length: n }, () => (rand() < 0.4 ? 1 : 0));
        const pv = Array.from({ length: n }, () => rand());
        // a map like Fig. 2's: positive where marked, the penalty −1 or 0 elsewhere
        const mv = yv.map((v) =>
          v === 1 ? 0.25 + 0.75 * rand() : rand() < 0.5 ? -1 : 0.5 * rand(),
        );
        const smooth = rand() < 0.5 ? 1 : 0.1;
        const ref = rewardPenaltyDiceLoss64(yv, pv, mv, shape, smooth, grouping);
        const [yt, pt, mt] = [tensor(yv, shape), tensor(pv, shape), tensor(mv, shape)];
        for (const variant of VARIANTS) {
          const options = { smooth, variant, ...grouping };
          const loss = rpdl(yt, pt, mt, options).dataSync()[0]!;
          expect(Math.abs(loss - ref.loss)).toBeLessThan(1e-6);
          expect(maxError(gradOf(yt, pt, mt, options), ref.grad)).toBeLessThan(1e-6);
        }
      }
    }
  });

  it('analytic gradient matches central finite differences of the tfjs loss', () => {
    // float32 loss, h = 5e-3: truncation O(h²) and rounding ~1e-7/h stay below the 3e-4 tolerance
    const rand = prng(5);
    const shape = [2, 6, 1];
    const n = 12;
    const yv = Array.from({ length: n }, () => (rand() < 0.5 ? 1 : 0));
    const mv = yv.map((v) => (v ? 0.5 + 0.5 * rand() : -1));
    const pv = Array.from({ length: n }, () => 0.1 + 0.8 * rand());
    const [yt, mt] = [tensor(yv, shape), tensor(mv, shape)];
    const cases = [{ smooth: 1 }, { smooth: 0 }, { smooth: 1, perSample: true }];
    for (const options of cases.flatMap((c) => [
      { ...c, variant: 'analytic' as const },
      { ...c, variant: 'elementwise' as const },
    ])) {
      const analytic = gradOf(yt, tensor(pv, shape), mt, options);
      const h = 5e-3;
      for (let i = 0; i < n; i++) {
        const at = (delta: number) => {
          const q = pv.slice();
          q[i]! += delta;
          return rpdl(yt, tensor(q, shape), mt, options).dataSync()[0]!;
        };
        const numeric = (at(h) - at(-h)) / (2 * h);
        expect(Math.abs(numeric - analytic[i]!)).toBeLessThan(3e-4);
      }
    }
  });

  it('float64 reference gradients match their own finite differences (checks the formulas)', () => {
    // Dice and the authors'-code loss share the quotient-rule gradient of the reference
    const shape = [2, 3];
    const yv = [1, 0, 1, 1, 0, 0];
    const tv = [1, -1, 3 / 7, 0, -1, 1];
    const pv = [0.2, 0.7, 0.4, 0.9, 0.1, 0.5];
    for (const grouping of [{}, { perSample: true }]) {
      for (const f of [
        (q: number[]) => diceLoss64(yv, q, shape, 0.5, grouping),
        (q: number[]) => referenceLoss64(tv, q, shape, 1, grouping),
      ]) {
        const analytic = f(pv).grad;
        for (let i = 0; i < 6; i++) {
          const plus = pv.slice();
          const minus = pv.slice();
          plus[i]! += 1e-6;
          minus[i]! -= 1e-6;
          expect(Math.abs((f(plus).loss - f(minus).loss) / 2e-6 - analytic[i]!)).toBeLessThan(1e-8);
        }
      }
    }
  });

  it('float64 reference gradient matches its own finite differences (checks the formula)', () => {
    const rand = prng(3);
    const shape = [1, 7];
    const yv = [1, 1, 0, 1, 0, 0, 1];
    const mv = [1, 0.75, 0.25, 0.5, -1, -1, 1];
    const pv = yv.map(() => rand());
    for (const smooth of [0, 1]) {
      const ref = rewardPenaltyDiceLoss64(yv, pv, mv, shape, smooth);
      const h = 1e-6;
      for (let i = 0; i < 7; i++) {
        const plus = pv.slice();
        const minus = pv.slice();
        plus[i]! += h;
        minus[i]! -= h;
        const numeric =
          (rewardPenaltyDiceLoss64(yv, plus, mv, shape, smooth).loss -
            rewardPenaltyDiceLoss64(yv, minus, mv, shape, smooth).loss) /
          (2 * h);
        expect(Math.abs(numeric - ref.grad[i]!)).toBeLessThan(1e-8);
      }
    }
  });

  it('on the cpu backend, the analytic form runs as one fused loop each way', () => {
    expect(preferredStrategy()).toBe('fused');
  });

  it('with a map of ones equals the Dice loss of a binary target', () => {
    const ones = tensor2d([[1, 1, 1, 1]]);
    // Dice: Σ yP = 1.5, Σ y = 2, Σ P = 2 → 1 − 4/5 = 0.2
    expect(rewardPenaltyDiceLoss(y, p, ones).dataSync()[0]).toBeCloseTo(0.2, 6);
  });

  it('leaks no tensors in forward or backward, and treats targets as constants', () => {
    const before = memory().numTensors;
    for (const variant of VARIANTS) {
      rpdl(y, p, m, { variant }).dispose();
      gradOf(y, p, m, { variant });
    }
    expect(memory().numTensors).toBe(before);
    // analytic mode closes over yTrue and M: tfjs refuses a gradient it cannot reach
    expect(() => grad((t: Tensor) => rewardPenaltyDiceLoss(t, p, m))(y)).toThrow(
      /Cannot compute gradient/,
    );
    const viaAutodiff = tidy(() =>
      grad((t: Tensor) => rewardPenaltyDiceLoss(t, p, m, { gradient: 'autodiff' }))(y).dataSync(),
    );
    expect(viaAutodiff.length).toBe(4);
  });

  it('rejects bad input with specific errors', () => {
    const f =
      (a: Tensor, b: Tensor, c: Tensor, o = {}) =>
      () =>
        rewardPenaltyDiceLoss(a, b, c, o);
    expect(f(y, p, tensor2d([[1, 1, 1]]))).toThrow(/yTrue shape \[1,4\] and rpMap shape \[1,3\]/);
    expect(f(tensor([1, 0]), tensor([1, 0]), tensor([1, 1]))).toThrow(
      /rank 1 .* expected rank 2–5/,
    );
    expect(
      f(
        tensor([1], [1, 1, 1, 1, 1, 1]),
        tensor([1], [1, 1, 1, 1, 1, 1]),
        tensor([1], [1, 1, 1, 1, 1, 1]),
      ),
    ).toThrow(/rank 6/);
    expect(f(y, tensor2d([[0.1, Number.NaN, 0, 0]]), m)).toThrow(/yPred contains NaN or ±Infinity/);
    expect(f(y, p, tensor2d([[1, 1, Number.POSITIVE_INFINITY, 1]]))).toThrow(/rpMap contains NaN/);
    expect(f(y, p, m, { gradient: 'autodiff' })).not.toThrow();
    expect(
      f(y, tensor2d([[0.1, 0.2, 0, Number.NEGATIVE_INFINITY]]), m, { gradient: 'autodiff' }),
    ).toThrow(/yPred contains/);
    expect(f(y, p, m, { smooth: -1 })).toThrow(/smooth must be a finite number ≥ 0, got -1/);
    expect(f(y, p, m, { gradient: 'numeric' })).toThrow(
      /gradient must be 'analytic' or 'autodiff'/,
    );
    expect(f(y, p, m, { perSample: 'yes' })).toThrow(/perSample must be a boolean/);
    const zeros = tensor2d([[0, 0]]);
    expect(f(zeros, zeros, tensor2d([[1, -1]]), { smooth: 0 })).toThrow(/0\/0/);
    expect(f(y, tensor2d([[1, 1, 0, 0]], [1, 4], 'int32'), m)).toThrow(/float32/);
  });
});
