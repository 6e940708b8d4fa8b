import '../test/cpu-backend.js';
// Autodiff needs the op gradients, which tfjs-core alone does not register.
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { grad, memory, type Tensor, tensor, tensor2d } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { diceLoss64, maxError, prng, SHAPES_RANK_2_TO_5, sizeOf } from '../test/float64.js';
import { GROUPINGS, gradientAt, VARIANTS, variantArgs } from '../test/variants.js';
import { diceLossWith } from './dice-loss.js';
import { diceLoss } from './index.js';

describe('diceLoss', () => {
  it('matches a hand-derived value', () => {
    // y = [1, 0, 1], P = [0.5, 0.5, 1]: Σ yP = 1.5, Σ y = 2, Σ P = 2, smooth 1
    // DL = 1 − (2·1.5 + 1) / (2 + 2 + 1) = 1 − 4/5 = 0.2
    const y = tensor2d([[1, 0, 1]]);
    const p = tensor2d([[0.5, 0.5, 1]]);
    expect(diceLoss(y, p).dataSync()[0]).toBeCloseTo(0.2, 6);
    // smooth 0: 1 − 3/4 = 0.25
    expect(diceLoss(y, p, { smooth: 0 }).dataSync()[0]).toBeCloseTo(0.25, 6);
  });

  it('per sample and per channel (hand-derived)', () => {
    // batch of 2 rows, 2 voxels each; rank 2, so the channel axis is axis 1
    const y = tensor2d([
      [1, 0],
      [0, 0],
    ]);
    const p = tensor2d([
      [1, 0],
      [1, 1],
    ]);
    // whole batch: Σ yP = 1, Σ y = 1, Σ P = 3 → 1 − 3/5 = 0.4
    expect(diceLoss(y, p).dataSync()[0]).toBeCloseTo(0.4, 6);
    // per sample: row 0 → 1 − 3/3 = 0; row 1 → 1 − 1/3 = 2/3; mean 1/3
    expect(diceLoss(y, p, { perSample: true }).dataSync()[0]).toBeCloseTo(1 / 3, 6);
    // per channel: ch 0 (y 1,0; P 1,1) → 1 − 3/4; ch 1 (y 0,0; P 0,1) → 1 − 1/2; mean 0.375
    expect(diceLoss(y, p, { perChannel: true }).dataSync()[0]).toBeCloseTo(0.375, 6);
    // both: every element its own group: (0) (1 − 1/1 = 0) (1 − 1/2) (1 − 1/2) → mean 0.25
    expect(diceLoss(y, p, { perSample: true, perChannel: true }).dataSync()[0]).toBeCloseTo(
      0.25,
      6,
    );
  });

  it('agrees with a float64 reference in value and gradient, ranks 2–5', () => {
    const rand = prng(21);
    for (const shape of SHAPES_RANK_2_TO_5) {
      for (const grouping of GROUPINGS) {
        const n = sizeOf(shape);
        const yv = Array.from({ length: n }, () => (rand() < 0.3 ? 1 : 0));
        const pv = Array.from({ length: n }, () => rand());
        const ref = diceLoss64(yv, pv, shape, 1, grouping);
        const yt = tensor(yv, shape);
        const pt = tensor(pv, shape);
        for (const variant of VARIANTS) {
          const loss = (q: Tensor) => diceLossWith(yt, q, ...variantArgs({ ...grouping, variant }));
          expect(Math.abs(loss(pt).dataSync()[0]! - ref.loss)).toBeLessThan(1e-6);
          expect(maxError(gradientAt(loss, pt), ref.grad)).toBeLessThan(1e-6);
        }
      }
    }
  });

  it('leaks no tensors and rejects bad input', () => {
    const y = tensor2d([[1, 0]]);
    const p = tensor2d([[0.2, 0.1]]);
    const before = memory().numTensors;
    diceLoss(y, p).dispose();
    diceLoss(y, p, { perSample: true, perChannel: true }).dispose();
    expect(memory().numTensors).toBe(before);
    expect(() => diceLoss(y, tensor2d([[1, 0, 0]]))).toThrow(/must be equal/);
    expect(() => diceLoss(y, p, { smooth: -1 })).toThrow(/smooth/);
    expect(() => diceLoss(tensor([], [0, 2]), tensor([], [0, 2]))).toThrow(/has no elements/);
    expect(() => diceLoss(y, p, { gradient: 'exact' as 'analytic' })).toThrow(/gradient must be/);
    // the analytic gradient closes over the target: tfjs refuses a gradient it cannot reach
    expect(() => grad((t: Tensor) => diceLoss(t, p))(y)).toThrow(/Cannot compute gradient/);
    expect(() => diceLoss(y, tensor2d([[Number.NaN, 0]]))).toThrow(/yPred contains NaN/);
    expect(() => diceLoss(tensor2d([[Number.POSITIVE_INFINITY, 0]]), p)).toThrow(/yTrue contains/);
    expect(() => diceLoss(tensor2d([[0, 0]]), tensor2d([[0, 0]]), { smooth: 0 })).toThrow(/0\/0/);
    expect(() => diceLoss(y, [0.2, 0.1] as unknown as Tensor)).toThrow(
      /yPred must be a tfjs Tensor/,
    );
  });
});
