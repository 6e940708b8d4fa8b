import '../../test/cpu-backend.js';
import { tensor } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { prng, rewardPenaltyDice64 } from '../../test/float64.js';
import { diceCoefficient, rewardPenaltyDice as rewardPenaltyDiceTensor } from '../index.js';
import { binarize, dice, rewardPenaltyDice } from '../metrics.js';

describe('binarize', () => {
  it('marks p ≥ threshold as foreground, p = threshold included', () => {
    expect(Array.from(binarize(new Float32Array([0.2, 0.5, 0.9, 0.4999])))).toEqual([0, 1, 1, 0]);
    expect(Array.from(binarize([0.3, 0.25, 0.2], 0.25))).toEqual([1, 1, 0]);
    expect(binarize([0.5])).toBeInstanceOf(Uint8Array);
  });

  it('rejects probabilities outside [0, 1], NaN and a bad threshold', () => {
    expect(() => binarize([0.2, 1.5])).toThrow(
      /probability\[1\] = 1.5; expected a probability in \[0, 1\]/,
    );
    expect(() => binarize([-0.1])).toThrow(/probability\[0\] = -0.1/);
    expect(() => binarize([Number.NaN])).toThrow(/NaN/);
    expect(() => binarize([0.2], Number.NaN)).toThrow(/threshold must be a finite number/);
    expect(() => binarize([])).toThrow(/probability is empty/);
  });
});

describe('dice and rewardPenaltyDice on typed arrays', () => {
  it('match hand-derived values', () => {
    // P′ = [1, 0, 1, 0]: 2·1 / (2 + 2)
    expect(dice([1, 1, 0, 0], [0.9, 0.2, 0.7, 0])).toBe(0.5);
    // threshold 0.8: P′ = [1, 0, 0, 0]: 2 / 3
    expect(dice([1, 1, 0, 0], [0.9, 0.2, 0.7, 0], { threshold: 0.8 })).toBeCloseTo(2 / 3, 12);
    // binary predictions pass through: [1,1,0,0] vs [1,0,1,0] → 0.5
    expect(dice(new Uint8Array([1, 0, 1, 0]), new Uint8Array([1, 1, 0, 0]))).toBe(0.5);
    // RPD: P′ = [1, 0, 1, 1]; Σ yP′M = 1; Σ y|M| = 1.5; Σ P′|M| = 2.5 → 2/4
    expect(rewardPenaltyDice([1, 1, 0, 0], [0.9, 0.2, 0.7, 0.8], [1, 0.5, 0.5, -1])).toBe(0.5);
  });

  it('binarise with ≥: p exactly 0.5 is foreground', () => {
    expect(dice([1, 0], [0.5, 0])).toBe(1);
    expect(dice([1, 0], [0.49999, 0])).toBe(0);
    // P′ = [1, 1]: 2·1 / (1 + 2) = 2/3
    expect(rewardPenaltyDice([1, 0], [0.5, 0.5], [1, -1])).toBeCloseTo(2 / 3, 12);
  });

  it('score 1 when nothing is annotated or predicted (Dice) or the denominator is 0 (RPD)', () => {
    expect(dice([0, 0, 0], [0.1, 0.2, 0])).toBe(1);
    expect(dice([0, 0, 0], [0.1, 0.6, 0])).toBe(0);
    // M = 0 wherever something is annotated or predicted: the denominator is 0
    expect(rewardPenaltyDice([1, 0], [0.9, 0.1], [0, -1])).toBe(1);
  });

  it('agree with a float64 reference and with the tensor forms (random cases)', () => {
    const rand = prng(29);
    for (let trial = 0; trial < 20; trial++) {
      const n = 1 + Math.floor(rand() * 60);
      const y = Array.from({ length: n }, () => (rand() < 0.4 ? 1 : 0));
      // a quarter of the predictions exactly at the threshold, to exercise the ≥ rule
      const threshold = trial % 2 === 0 ? 0.5 : 0.25;
      const p = Array.from({ length: n }, () => (rand() < 0.25 ? threshold : rand()));
      const m = y.map((v) => (v ? 0.2 + 0.8 * rand() : rand() < 0.5 ? -1 : 0.3));
      const options = { threshold };
      const expectedDice = rewardPenaltyDice64(y, p, undefined, threshold);
      const expectedRpd = rewardPenaltyDice64(y, p, m, threshold);
      expect(dice(y, p, options)).toBeCloseTo(expectedDice, 12);
      expect(rewardPenaltyDice(y, p, m, options)).toBeCloseTo(expectedRpd, 12);
      const [yt, pt, mt] = [tensor(y, [1, n]), tensor(p, [1, n]), tensor(m, [1, n])];
      expect(diceCoefficient(yt, pt, options).dataSync()[0]).toBeCloseTo(dice(y, p, options), 6);
      expect(rewardPenaltyDiceTensor(yt, pt, mt, options).dataSync()[0]).toBeCloseTo(
        rewardPenaltyDice(y, p, m, options),
        6,
      );
    }
  });

  it('reject bad input with specific errors', () => {
    expect(() => dice([1, 0], [0.5])).toThrow(/yTrue has 2 voxels and yPred 1; they must be equal/);
    expect(() => dice([], [])).toThrow(/yTrue is empty/);
    expect(() => dice([1, 0.5], [0.5, 0.5])).toThrow(/yTrue\[1\] = 0.5; expected a binary mask/);
    expect(() => dice([1, 0], [2, 0.5])).toThrow(/yPred\[0\] = 2; expected a probability/);
    expect(() => dice([1, 0], [0.1, 0.5], { threshold: Number.POSITIVE_INFINITY })).toThrow(
      /threshold/,
    );
    expect(() => dice(null as unknown as number[], [0])).toThrow(/yTrue must be an array/);
    expect(() => rewardPenaltyDice([1, 0], [0.5, 0.5], [1, 2])).toThrow(
      /map\[1\] = 2; expected a reward-penalty map value in \[-1, 1\]/,
    );
    expect(() => rewardPenaltyDice([1, 0], [0.5, 0.5], [1])).toThrow(/map 1/);
  });
});
