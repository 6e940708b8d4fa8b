import '../test/cpu-backend.js';
// Autodiff needs the op gradients, which tfjs-core alone does not register.
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { grad, memory, type Tensor, tensor, tensor2d, tidy } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { maxError, prng, SHAPES_RANK_2_TO_5, sizeOf, softDiceLoss64 } from '../test/float64.js';
import {
  GROUPINGS,
  gradientAt,
  VARIANTS,
  type VariantOptions,
  variantArgs,
} from '../test/variants.js';
import { diceLoss, softDiceLoss } from './index.js';
import { type SoftDiceLossOptions, softDiceLossWith } from './soft-dice-loss.js';

type Options = VariantOptions<SoftDiceLossOptions>;

function soft(y: Tensor, p: Tensor, options: Options = {}) {
  return softDiceLossWith(y, p, ...variantArgs(options));
}

function gradOf(y: Tensor, p: Tensor, options: Options): Float32Array {
  return gradientAt((q) => soft(y, q, options), p);
}

describe('softDiceLoss', () => {
  it('matches a hand-derived value', () => {
    // Y = [1, ⅔, ⅓, 0], P = [0.9, 0.5, 0.5, 0.1]: Σ P = 2, Σ Y = 2,
    // Σ |P − Y| = 0.1 + ⅙ + ⅙ + 0.1 = 0.5333…; s = 1: 1 − (4 − 0.5333… + 1) / 5 = 0.10666…
    const y = tensor2d([[1, 2 / 3, 1 / 3, 0]]);
    const p = tensor2d([[0.9, 0.5, 0.5, 0.1]]);
    for (const variant of VARIANTS) {
      expect(soft(y, p, { variant }).dataSync()[0]).toBeCloseTo(1 - (4 - 1.6 / 3 + 1) / 5, 6);
      // s = 0: 1 − (4 − 0.5333…) / 4 = 0.13333…
      expect(soft(y, p, { smooth: 0, variant }).dataSync()[0]).toBeCloseTo(1.6 / 3 / 4, 6);
    }
  });

  it('takes ∂|P − Y|/∂P = 0 at P = Y (hand-derived)', () => {
    // Y = [0.5, 1], P = [0.5, 0.2], s = 0: N = 2.2 − 0.8 = 1.4, D = 2.2
    // ∂L/∂P₀ = (N − 1·D)/D² = −0.8/4.84; ∂L/∂P₁ = (N − 2·D)/D² = −3/4.84
    const y = tensor2d([[0.5, 1]]);
    const p = tensor2d([[0.5, 0.2]]);
    for (const variant of ['analytic', 'elementwise'] as const) {
      const g = gradOf(y, p, { smooth: 0, variant });
      expect(g[0]).toBeCloseTo(-0.8 / 4.84, 6);
      expect(g[1]).toBeCloseTo(-3 / 4.84, 6);
    }
  });

  it('equals the Dice loss for binary targets, in value and (off P = Y) gradient', () => {
    const rand = prng(8);
    const shape = [3, 4, 2];
    const n = 24;
    const yv = Array.from({ length: n }, () => (rand() < 0.4 ? 1 : 0));
    const pv = Array.from({ length: n }, () => 0.01 + 0.98 * rand());
    const [yt, pt] = [tensor(yv, shape), tensor(pv, shape)];
    for (const grouping of [{}, { perSample: true }, { perChannel: true }]) {
      const dice = diceLoss(yt, pt, grouping).dataSync()[0]!;
      expect(Math.abs(softDiceLoss(yt, pt, grouping).dataSync()[0]! - dice)).toBeLessThan(1e-6);
      const diceGrad = tidy(() => grad((q: Tensor) => diceLoss(yt, q, grouping))(pt).dataSync());
      expect(maxError(gradOf(yt, pt, grouping), diceGrad)).toBeLessThan(1e-6);
    }
  });

  it('agrees with a float64 reference in value and gradient, ranks 2–5, every grouping', () => {
    const rand = prng(41);
    for (const shape of SHAPES_RANK_2_TO_5) {
      for (const grouping of GROUPINGS) {
        const n = sizeOf(shape);
        // soft targets: fractions of 5 annotators
        const yv = Array.from({ length: n }, () => Math.floor(rand() * 6) / 5);
        const pv = Array.from({ length: n }, () => rand());
        const smooth = rand() < 0.5 ? 1 : 0.1;
        const ref = softDiceLoss64(yv, pv, shape, smooth, grouping);
        const [yt, pt] = [tensor(yv, shape), tensor(pv, shape)];
        for (const variant of VARIANTS) {
          const options = { smooth, variant, ...grouping };
          expect(Math.abs(soft(yt, pt, options).dataSync()[0]! - ref.loss)).toBeLessThan(1e-6);
          expect(maxError(gradOf(yt, pt, options), ref.grad)).toBeLessThan(1e-6);
        }
      }
    }
  });

  it('analytic gradient matches central finite differences of the tfjs loss', () => {
    const rand = prng(6);
    const shape = [2, 5, 1];
    const n = 10;
    const yv = Array.from({ length: n }, () => Math.floor(rand() * 4) / 3);
    // keep every P at least 0.02 from its Y so that P ± h stays on one side of the kink
    const pv = yv.map((y) => {
      let q = 0.05 + 0.9 * rand();
      if (Math.abs(q - y) < 0.02) q = y < 0.5 ? y + 0.1 : y - 0.1;
      return q;
    });
    const yt = tensor(yv, shape);
    for (const options of [
      { smooth: 1, variant: 'analytic' as const },
      { smooth: 0, variant: 'elementwise' as const },
      { smooth: 1, perSample: true, variant: 'analytic' as const },
    ]) {
      const analytic = gradOf(yt, tensor(pv, shape), options);
      const h = 5e-3;
      for (let i = 0; i < n; i++) {
        const at = (delta: number) => {
          const q = pv.slice();
          q[i]! += delta;
          return soft(yt, tensor(q, shape), options).dataSync()[0]!;
        };
        expect(Math.abs((at(h) - at(-h)) / (2 * h) - analytic[i]!)).toBeLessThan(3e-4);
      }
    }
  });

  it('float64 reference gradient matches its own finite differences (checks the formula)', () => {
    const shape = [2, 3];
    const yv = [1, 0.25, 0.5, 0, 0.75, 1];
    const pv = [0.2, 0.7, 0.4, 0.9, 0.1, 0.5];
    for (const grouping of [{}, { perSample: true }]) {
      const analytic = softDiceLoss64(yv, pv, shape, 0.5, grouping).grad;
      for (let i = 0; i < 6; i++) {
        const plus = pv.slice();
        const minus = pv.slice();
        plus[i]! += 1e-6;
        minus[i]! -= 1e-6;
        const numeric =
          (softDiceLoss64(yv, plus, shape, 0.5, grouping).loss -
            softDiceLoss64(yv, minus, shape, 0.5, grouping).loss) /
          2e-6;
        expect(Math.abs(numeric - analytic[i]!)).toBeLessThan(1e-8);
      }
    }
  });

  it('leaks no tensors and rejects bad input', () => {
    const y = tensor2d([[0.5, 0]]);
    const p = tensor2d([[0.2, 0.1]]);
    const before = memory().numTensors;
    for (const variant of VARIANTS) {
      soft(y, p, { variant }).dispose();
      soft(y, p, { variant, perSample: true, perChannel: true }).dispose();
      gradOf(y, p, { variant });
    }
    expect(memory().numTensors).toBe(before);
    expect(() => softDiceLoss(y, tensor2d([[1, 0, 0]]))).toThrow(/must be equal/);
    expect(() => softDiceLoss(y, p, { smooth: -1 })).toThrow(/smooth/);
    expect(() => softDiceLoss(y, p, { gradient: 'exact' as 'analytic' })).toThrow(
      /gradient must be/,
    );
    expect(() => softDiceLoss(y, p, { perChannel: 1 as unknown as boolean })).toThrow(
      /perChannel must be a boolean/,
    );
    expect(() => grad((t: Tensor) => softDiceLoss(t, p))(y)).toThrow(/Cannot compute gradient/);
    expect(() => softDiceLoss(y, tensor2d([[Number.NaN, 0]]))).toThrow(/yPred contains NaN/);
    expect(() => softDiceLoss(tensor2d([[0, 0]]), tensor2d([[0, 0]]), { smooth: 0 })).toThrow(
      /0\/0/,
    );
    expect(() => softDiceLoss(y, tensor2d([[1, 0]], [1, 2], 'int32'))).toThrow(/float32/);
  });
});
