import '../test/cpu-backend.js';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { engine, grad, type Tensor, tensor2d, tidy } from '@tensorflow/tfjs-core';
import { describe, expect, it, vi } from 'vitest';
import { diceLossWith } from './dice-loss.js';
import {
  diceCoefficient,
  diceLoss,
  referenceRewardPenaltyDiceLoss,
  rewardPenaltyDice,
  rewardPenaltyDiceLoss,
  softDiceLoss,
  weightedCrossEntropy,
} from './index.js';
import { rewardPenaltyDiceLossWith } from './reward-penalty-dice-loss.js';

const y = tensor2d([[1, 1, 0, 0]]);
const p = tensor2d([[0.9, 0.6, 0.4, 0.1]]);
const map = tensor2d([[1, 0.5, 0.5, -1]]);
const logits = tensor2d([[2.5, 0.4, -0.4, -3]]);

/** The three code paths of a Dice-type loss: fused cpu loop, tfjs ops, autodiff. */
const rpdlPaths = {
  fused: (t: Tensor, q: Tensor, m: Tensor, o = {}) => rewardPenaltyDiceLoss(t, q, m, o),
  elementwise: (t: Tensor, q: Tensor, m: Tensor, o = {}) =>
    rewardPenaltyDiceLossWith(t, q, m, o, 'elementwise'),
  autodiff: (t: Tensor, q: Tensor, m: Tensor, o = {}) =>
    rewardPenaltyDiceLoss(t, q, m, { ...o, gradient: 'autodiff' }),
};

describe('input value checks', () => {
  it('reject predictions outside [0, 1] (logits), naming the smallest and largest value', () => {
    const message =
      /yPred must hold probabilities in \[0, 1\] \(a sigmoid output, not logits\); found values from -3 to 2\.5/;
    for (const loss of Object.values(rpdlPaths))
      expect(() => loss(y, logits, map)).toThrow(message);
    // the grouped form of the fused loop checks as it sums, too
    for (const loss of Object.values(rpdlPaths)) {
      expect(() => loss(y, logits, map, { perSample: true, perChannel: true })).toThrow(message);
      expect(() => loss(tensor2d([[1, 0.5, 0, 0]]), p, map, { perChannel: true })).toThrow(
        /yTrue must be a binary mask \(0 or 1\); found values strictly between 0 and 1/,
      );
      expect(() => loss(y, p, tensor2d([[1, 0.5, 1.25, -1]]), { perSample: true })).toThrow(
        /rpMap must be a reward-penalty map .*found values from -1 to 1\.25/,
      );
    }
    expect(() => softDiceLoss(y, logits, { perChannel: true })).toThrow(message);
    expect(() => diceLoss(y, logits)).toThrow(message);
    expect(() => diceLossWith(y, logits, {}, 'elementwise')).toThrow(message);
    expect(() => diceLoss(y, logits, { gradient: 'autodiff' })).toThrow(message);
    expect(() => softDiceLoss(y, logits)).toThrow(message);
    expect(() => weightedCrossEntropy(y, logits)).toThrow(message);
    expect(() => referenceRewardPenaltyDiceLoss(map, logits)).toThrow(message);
    expect(() => diceCoefficient(y, logits)).toThrow(message);
    expect(() => rewardPenaltyDice(y, logits, map)).toThrow(message);
  });

  it('reject an int32 map, a map outside [−1, 1] and a map swapped with the target', () => {
    const intMap = tensor2d([[1, 1, 0, 0]], [1, 4], 'int32');
    for (const loss of Object.values(rpdlPaths)) {
      expect(() => loss(y, p, intMap)).toThrow(/rpMap must be a float32 reward-penalty map/);
      expect(() => loss(y, p, tensor2d([[1, 0.5, 0.5, -7]]))).toThrow(
        /rpMap must be a reward-penalty map with values in \[−1, 1\].*found values from -7 to 1/,
      );
      // the map in the target's place: the target check catches it
      expect(() => loss(map, p, y)).toThrow(
        /yTrue must be a binary mask \(0 or 1\); found values from -1 to 1 \(a reward-penalty map passed as the target\?\)/,
      );
    }
    expect(() => rewardPenaltyDice(y, p, intMap)).toThrow(/float32/);
    expect(() => rewardPenaltyDice(map, p, y)).toThrow(/passed as the target/);
  });

  it('reject non-binary targets where a mask is expected, and soft targets outside [0, 1]', () => {
    const soft = tensor2d([[1, 0.5, 0, 0]]);
    for (const loss of Object.values(rpdlPaths)) {
      expect(() => loss(soft, p, map)).toThrow(
        /yTrue must be a binary mask \(0 or 1\); found values strictly between 0 and 1 \(for a soft target use softDiceLoss\)/,
      );
    }
    expect(() => diceLoss(soft, p)).toThrow(/strictly between 0 and 1/);
    expect(() => weightedCrossEntropy(soft, p)).toThrow(/strictly between 0 and 1/);
    expect(() => diceCoefficient(soft, p)).toThrow(/strictly between 0 and 1/);
    expect(softDiceLoss(soft, p).dataSync()[0]).toBeGreaterThan(0);
    expect(() => softDiceLoss(tensor2d([[1.5, 0, 0, 0]]), p)).toThrow(
      /yTrue must be a soft target in \[0, 1\]; found values from 0 to 1\.5/,
    );
  });

  it('validate: false skips every value check', () => {
    // a logit prediction gives a (meaningless) number instead of an error
    for (const loss of Object.values(rpdlPaths)) {
      expect(Number.isFinite(loss(y, logits, map, { validate: false }).dataSync()[0])).toBe(true);
    }
    expect(Number.isFinite(diceLoss(y, logits, { validate: false }).dataSync()[0])).toBe(true);
    expect(Number.isFinite(softDiceLoss(y, logits, { validate: false }).dataSync()[0])).toBe(true);
    expect(
      Number.isFinite(weightedCrossEntropy(y, logits, { validate: false }).dataSync()[0]),
    ).toBe(true);
    expect(diceCoefficient(y, logits, { validate: false }).dataSync()[0]).toBeCloseTo(2 / 3, 6);
    // shape and dtype checks cost nothing and still run
    expect(() => diceLoss(y, tensor2d([[1, 0]]), { validate: false })).toThrow(/must be equal/);
    expect(() =>
      rewardPenaltyDiceLoss(y, p, tensor2d([[1, 1, 0, 0]], [1, 4], 'int32'), { validate: false }),
    ).toThrow(/float32/);
    expect(() => diceLoss(y, p, { validate: 'no' as unknown as boolean })).toThrow(
      /validate must be a boolean, got no/,
    );
  });

  it('read back once per call on the tfjs-ops paths, and not at all with validate: false', () => {
    const backend = engine().backend;
    const readSync = vi.spyOn(backend, 'readSync');
    const count = (f: () => Tensor) => {
      readSync.mockClear();
      tidy(f);
      return readSync.mock.calls.length;
    };
    for (const path of ['elementwise', 'autodiff'] as const) {
      const loss = rpdlPaths[path];
      expect(count(() => loss(y, p, map))).toBe(1);
      expect(count(() => loss(y, p, map, { perSample: true }))).toBe(1);
      expect(count(() => loss(y, p, map, { validate: false }))).toBe(0);
      // the backward pass adds no read-back either
      expect(count(() => grad((q: Tensor) => loss(y, q, map, { validate: false }))(p))).toBe(0);
    }
    expect(count(() => softDiceLoss(y, p, { gradient: 'autodiff' }))).toBe(1);
    expect(count(() => weightedCrossEntropy(y, p))).toBe(1);
    expect(count(() => weightedCrossEntropy(y, p, { validate: false }))).toBe(0);
    expect(count(() => rewardPenaltyDice(y, p, map))).toBe(1);
    expect(count(() => diceCoefficient(y, p, { validate: false }))).toBe(0);
    readSync.mockRestore();
  });
});
