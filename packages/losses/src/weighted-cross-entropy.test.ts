import '../test/cpu-backend.js';
// Autodiff needs the op gradients, which tfjs-core alone does not register.
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { grad, memory, type Tensor, tensor, tensor2d, tidy } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { prng, sizeOf, weightedCrossEntropy64 } from '../test/float64.js';
import { foregroundWeight, weightedCrossEntropy } from './index.js';

describe('weightedCrossEntropy', () => {
  it('matches hand-derived values (Eq. 1)', () => {
    const y = tensor2d([[1, 0]]);
    const p = tensor2d([[0.8, 0.1]]);
    // −(49·ln 0.8 + ln 0.9) / 2
    const expected = -(49 * Math.log(0.8) + Math.log(0.9)) / 2;
    expect(weightedCrossEntropy(y, p, { weight: 49 }).dataSync()[0]).toBeCloseTo(expected, 4);
    expect(weightedCrossEntropy(y, p, { weight: 49, reduction: 'sum' }).dataSync()[0]).toBeCloseTo(
      2 * expected,
      4,
    );
    // w = 1: −(ln 0.8 + ln 0.9) / 2
    expect(weightedCrossEntropy(y, p).dataSync()[0]).toBeCloseTo(
      -(Math.log(0.8) + Math.log(0.9)) / 2,
      6,
    );
  });

  it('clips P into [ε, 1 − ε]: a confident wrong prediction costs −ln ε, not ∞', () => {
    const loss = weightedCrossEntropy(tensor2d([[1]]), tensor2d([[0]]), { epsilon: 1e-3 });
    expect(loss.dataSync()[0]).toBeCloseTo(-Math.log(1e-3), 4);
    // and the clipped side carries no gradient
    const g = tidy(() =>
      grad((q: Tensor) => weightedCrossEntropy(tensor2d([[1]]), q, { epsilon: 1e-3 }))(
        tensor2d([[0]]),
      ).dataSync(),
    );
    expect(g[0]).toBe(0);
  });

  it('agrees with a float64 reference in value and gradient', () => {
    const rand = prng(4);
    for (const shape of [
      [3, 4],
      [2, 2, 3, 1],
      [1, 2, 2, 2, 2],
    ]) {
      const n = sizeOf(shape);
      const yv = Array.from({ length: n }, () => (rand() < 0.3 ? 1 : 0));
      const pv = Array.from({ length: n }, () => 0.02 + 0.96 * rand());
      for (const reduction of ['mean', 'sum'] as const) {
        const options = { weight: 7, epsilon: 1e-7, reduction };
        const ref = weightedCrossEntropy64(yv, pv, 7, 1e-7, reduction);
        const got = weightedCrossEntropy(
          tensor(yv, shape),
          tensor(pv, shape),
          options,
        ).dataSync()[0]!;
        expect(Math.abs(got - ref) / Math.abs(ref)).toBeLessThan(1e-5);
        // d/dP = −(w·y/P − (1 − y)/(1 − P)) / N for the mean
        const g = tidy(() =>
          grad((q: Tensor) => weightedCrossEntropy(tensor(yv, shape), q, options))(
            tensor(pv, shape),
          ).dataSync(),
        );
        const scale = reduction === 'mean' ? n : 1;
        for (let i = 0; i < n; i++) {
          const expected = -((7 * yv[i]!) / pv[i]! - (1 - yv[i]!) / (1 - pv[i]!)) / scale;
          expect(Math.abs(g[i]! - expected)).toBeLessThan(1e-4 * (1 + Math.abs(expected)));
        }
      }
    }
  });

  it('leaks no tensors and rejects bad input', () => {
    const y = tensor2d([[1, 0]]);
    const p = tensor2d([[0.7, 0.2]]);
    const before = memory().numTensors;
    weightedCrossEntropy(y, p).dispose();
    expect(memory().numTensors).toBe(before);
    expect(() => weightedCrossEntropy(y, tensor2d([[0.1]]))).toThrow(/must be equal/);
    expect(() => weightedCrossEntropy(y, tensor2d([[Number.POSITIVE_INFINITY, 0]]))).toThrow(
      /yPred contains NaN or ±Infinity/,
    );
    expect(() => weightedCrossEntropy(tensor2d([[Number.NaN, 0]]), p)).toThrow(/yTrue contains/);
    expect(() => weightedCrossEntropy(y, p, { weight: 0 })).toThrow(/weight must be .* > 0/);
    expect(() => weightedCrossEntropy(y, p, { epsilon: 0 })).toThrow(/epsilon/);
    expect(() => weightedCrossEntropy(y, p, { reduction: 'none' as unknown as 'sum' })).toThrow(
      /reduction must be 'mean' or 'sum'/,
    );
  });
});

describe('foregroundWeight', () => {
  it('is the background / foreground voxel ratio (hand-derived)', () => {
    // 8 voxels, 3 foreground → 5/3
    expect(
      foregroundWeight([
        [1, 0, 0, 0],
        [1, 1, 0, 0],
      ]),
    ).toBeCloseTo(5 / 3, 12);
    // the paper's example: 2 % foreground → 49
    const mask = new Uint8Array(100);
    mask[0] = 1;
    mask[1] = 1;
    expect(foregroundWeight(mask)).toBe(49);
    expect(foregroundWeight(tensor([1, 0, 0, 0], [2, 2]))).toBe(3);
  });

  it('rejects non-binary masks, no voxels and no foreground', () => {
    expect(() => foregroundWeight([[1, 2]])).toThrow(/binary.*found 2 at \[0\]\[1\]/);
    expect(() => foregroundWeight([Number.NaN])).toThrow(/NaN/);
    expect(() => foregroundWeight([])).toThrow(/no voxels/);
    expect(() => foregroundWeight([[0, 0]])).toThrow(/no foreground/);
  });
});
