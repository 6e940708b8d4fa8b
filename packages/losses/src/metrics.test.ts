import '../test/cpu-backend.js';
import { memory, tensor, tensor2d } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { prng, rewardPenaltyDice64, sizeOf } from '../test/float64.js';
import { diceCoefficient, rewardPenaltyDice } from './index.js';

describe('diceCoefficient (Eq. 5) and rewardPenaltyDice (Eq. 6)', () => {
  it('match hand-derived values', () => {
    // P′ = [1, 0, 1]: 2·1 / (2 + 2) = 0.5
    expect(diceCoefficient(tensor2d([[1, 1, 0]]), tensor2d([[0.9, 0.2, 0.7]])).dataSync()[0]).toBe(
      0.5,
    );
    // threshold 0.8: P′ = [1, 0, 0]: 2 / 3
    expect(
      diceCoefficient(tensor2d([[1, 1, 0]]), tensor2d([[0.9, 0.2, 0.7]]), {
        threshold: 0.8,
      }).dataSync()[0],
    ).toBeCloseTo(2 / 3, 6);
    // RPD: P′ = [1, 0, 1, 1]; Σ yP′M = 1; Σ y|M| = 1.5; Σ P′|M| = 1 + 0.5 + 1 → 2/4
    const y = tensor2d([[1, 1, 0, 0]]);
    const m = tensor2d([[1, 0.5, 0.5, -1]]);
    expect(rewardPenaltyDice(y, tensor2d([[0.9, 0.2, 0.7, 0.8]]), m).dataSync()[0]).toBe(0.5);
    // P exactly at the threshold is foreground (P′ = 1 where P ≥ threshold): 2·1 / (1 + 1)
    expect(diceCoefficient(tensor2d([[1, 0]]), tensor2d([[0.5, 0]])).dataSync()[0]).toBe(1);
    expect(diceCoefficient(tensor2d([[1, 0]]), tensor2d([[0.4999, 0]])).dataSync()[0]).toBe(0);
    // RPD at exactly 0.5: P′ = [1, 1]; 2·1·1 / (1 + (1 + 1)) = 2/3
    expect(
      rewardPenaltyDice(
        tensor2d([[1, 0]]),
        tensor2d([[0.5, 0.5]]),
        tensor2d([[1, -1]]),
      ).dataSync()[0],
    ).toBeCloseTo(2 / 3, 6);
  });

  it('score 1 when target and prediction are both empty, per sample too', () => {
    const y = tensor2d([
      [0, 0],
      [1, 0],
    ]);
    const p = tensor2d([
      [0.1, 0.2],
      [0.1, 0.9],
    ]);
    // sample 0: 0/0 → 1; sample 1: 0 / 2 = 0 → mean 0.5; whole batch 0 / 2 = 0
    expect(diceCoefficient(y, p, { perSample: true }).dataSync()[0]).toBe(0.5);
    expect(diceCoefficient(y, p).dataSync()[0]).toBe(0);
    expect(
      rewardPenaltyDice(
        y,
        p,
        tensor2d([
          [-1, -1],
          [1, -1],
        ]),
        { perSample: true },
      ).dataSync()[0],
    ).toBe(0.5);
  });

  it('agree with a float64 reference (random cases)', () => {
    const rand = prng(17);
    for (const shape of [
      [2, 8],
      [2, 3, 3],
      [1, 2, 3, 2],
      [1, 2, 2, 2, 3],
    ]) {
      const n = sizeOf(shape);
      const yv = Array.from({ length: n }, () => (rand() < 0.4 ? 1 : 0));
      const pv = Array.from({ length: n }, () => rand());
      const mv = yv.map((v) => (v ? 0.2 + 0.8 * rand() : rand() < 0.5 ? -1 : 0.3));
      const [yt, pt, mt] = [tensor(yv, shape), tensor(pv, shape), tensor(mv, shape)];
      expect(diceCoefficient(yt, pt).dataSync()[0]).toBeCloseTo(
        rewardPenaltyDice64(yv, pv, undefined, 0.5),
        6,
      );
      expect(rewardPenaltyDice(yt, pt, mt, { threshold: 0.3 }).dataSync()[0]).toBeCloseTo(
        rewardPenaltyDice64(yv, pv, mv, 0.3),
        6,
      );
    }
  });

  it('leak no tensors and reject bad input', () => {
    const y = tensor2d([[1, 0]]);
    const p = tensor2d([[0.7, 0.2]]);
    const m = tensor2d([[1, -1]]);
    const before = memory().numTensors;
    diceCoefficient(y, p).dispose();
    rewardPenaltyDice(y, p, m).dispose();
    expect(memory().numTensors).toBe(before);
    expect(() => diceCoefficient(y, tensor2d([[Number.NaN, 0]]))).toThrow(/yPred contains NaN/);
    expect(() => rewardPenaltyDice(y, p, tensor2d([[1, Number.NaN]]))).toThrow(/rpMap contains/);
    expect(() => rewardPenaltyDice(y, p, tensor2d([[1, 1, 1]]))).toThrow(/must be equal/);
    expect(() => diceCoefficient(y, p, { threshold: Number.NaN })).toThrow(/threshold/);
    expect(() => diceCoefficient(tensor([1, 0]), tensor([1, 0]))).toThrow(/rank 1/);
  });
});
