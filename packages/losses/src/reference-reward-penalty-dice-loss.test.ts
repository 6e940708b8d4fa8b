import '../test/cpu-backend.js';
// Autodiff needs the op gradients, which tfjs-core alone does not register.
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { referenceTarget } from '@rpdl/rpmap';
import { memory, type Tensor, tensor, tensor2d } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  maxError,
  prng,
  referenceLoss64,
  rewardPenaltyDiceLoss64,
  sizeOf,
} from '../test/float64.js';
import { GROUPINGS, gradientAt, VARIANTS, variantArgs } from '../test/variants.js';
import { referenceRewardPenaltyDiceLoss } from './index.js';
import { referenceRewardPenaltyDiceLossWith } from './reference-reward-penalty-dice-loss.js';

describe('referenceRewardPenaltyDiceLoss', () => {
  it('matches a hand-derived value', () => {
    // T = [1, 3/7, 0, −1] (referenceTarget with penalty −7, divisor 7), P = [0.9, 0.6, 0.4, 0.1]
    // Σ TP = 0.9 + 1.8/7 − 0.1 = 7.4/7; Σ|T| = 17/7; Σ P = 2 = 14/7
    // 1 − (14.8/7 + 7/7) / (17/7 + 14/7 + 7/7) = 1 − 21.8/38 = 16.2/38
    const t = tensor2d([[1, 3 / 7, 0, -1]]);
    const p = tensor2d([[0.9, 0.6, 0.4, 0.1]]);
    expect(referenceRewardPenaltyDiceLoss(t, p).dataSync()[0]).toBeCloseTo(16.2 / 38, 6);
  });

  it('differs from Eq. 3 on the same annotations (the documented difference)', () => {
    // 3 annotators; this one marked voxels 0, 1; counts [3, 1, 2, 0]
    const mask = [1, 1, 0, 0];
    const counts = [3, 1, 2, 0];
    const t = Array.from(referenceTarget(mask, counts, { penalty: -3, divisor: 3 })); // [1, 0, 0, -1]
    const m = [1, 1 / 3, 2 / 3, -1]; // Fig. 2 map, counts / K
    const p = [0.9, 0.8, 0.7, 0.3];
    const shape = [1, 4];
    const ref = referenceLoss64(t, p, shape).loss;
    const eq3 = rewardPenaltyDiceLoss64(mask, p, m, shape).loss;
    // authors' code: Σ TP = 0.9 − 0.3 = 0.6; Σ|T| = 2; Σ P = 2.7 → 1 − 2.2/5.7
    expect(ref).toBeCloseTo(1 - 2.2 / 5.7, 12);
    // Eq. 3: Σ yPM = 0.9 + 0.8/3; Σ y|M| = 4/3; Σ P|M| = 0.9 + 0.8/3 + 1.4/3 + 0.3
    // → 1 − (10/3) / (64/15) = 0.21875
    expect(eq3).toBeCloseTo(
      1 - (2 * (0.9 + 0.8 / 3) + 1) / (4 / 3 + (0.9 + 0.8 / 3 + 1.4 / 3 + 0.3) + 1),
      12,
    );
    expect(eq3).toBeCloseTo(0.21875, 12);
    expect(Math.abs(ref - eq3)).toBeGreaterThan(0.05);
    expect(
      referenceRewardPenaltyDiceLoss(tensor(t, shape), tensor(p, shape)).dataSync()[0],
    ).toBeCloseTo(ref, 6);
  });

  it('agrees with a float64 reference in value and gradient', () => {
    const rand = prng(9);
    for (const shape of [
      [2, 5],
      [2, 3, 2, 1],
      [1, 2, 2, 2, 2],
    ]) {
      for (const grouping of GROUPINGS) {
        const n = sizeOf(shape);
        const tv = Array.from({ length: n }, () => [1, 3 / 7, 0, -1][Math.floor(rand() * 4)]!);
        const pv = Array.from({ length: n }, () => rand());
        const ref = referenceLoss64(tv, pv, shape, 1, grouping);
        const tt = tensor(tv, shape);
        const pt = tensor(pv, shape);
        for (const variant of VARIANTS) {
          const options = variantArgs({ ...grouping, variant });
          const loss = (q: Tensor) => referenceRewardPenaltyDiceLossWith(tt, q, ...options);
          expect(Math.abs(loss(pt).dataSync()[0]! - ref.loss)).toBeLessThan(1e-6);
          expect(maxError(gradientAt(loss, pt), ref.grad)).toBeLessThan(1e-6);
        }
      }
    }
  });

  it('leaks no tensors and rejects bad input', () => {
    const t = tensor2d([[1, -1]]);
    const p = tensor2d([[0.5, 0.5]]);
    const before = memory().numTensors;
    referenceRewardPenaltyDiceLoss(t, p).dispose();
    expect(memory().numTensors).toBe(before);
    expect(() => referenceRewardPenaltyDiceLoss(t, tensor2d([[1]]))).toThrow(/must be equal/);
    expect(() => referenceRewardPenaltyDiceLoss(tensor2d([[Number.NaN, 0]]), p)).toThrow(
      /target contains NaN/,
    );
    expect(() => referenceRewardPenaltyDiceLoss(t, p, { smooth: Number.NaN })).toThrow(/smooth/);
  });
});
