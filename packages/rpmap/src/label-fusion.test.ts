import { describe, expect, it } from 'vitest';
import { prng } from '../../../tooling/testing/prng.js';
import { majorityVote, meanAnnotation } from './index.js';

describe('meanAnnotation and majorityVote', () => {
  it('give the fraction of annotators and the ≥ ½ vote (hand-derived)', () => {
    // K = 4; counts per voxel [4, 3, 2, 1, 0]
    const masks = [
      [1, 1, 1, 1, 0],
      [1, 1, 1, 0, 0],
      [1, 1, 0, 0, 0],
      [1, 0, 0, 0, 0],
    ];
    const mean = meanAnnotation(masks);
    expect(mean).toBeInstanceOf(Float32Array);
    expect(Array.from(mean)).toEqual([1, 0.75, 0.5, 0.25, 0]);
    const vote = majorityVote(masks);
    expect(vote).toBeInstanceOf(Uint8Array);
    // 2 of 4 is a tie: foreground
    expect(Array.from(vote)).toEqual([1, 1, 1, 0, 0]);
    // K = 3: 2 of 3 in, 1 of 3 out
    expect(Array.from(majorityVote([Uint8Array.of(1, 1, 0), [1, 0, 0], [0, 1, 1]]))).toEqual([
      1, 1, 0,
    ]);
  });

  it('agree with a float64 mean on random annotation sets', () => {
    const rand = prng(12);
    for (let trial = 0; trial < 30; trial++) {
      const k = 1 + Math.floor(rand() * 8);
      const n = 1 + Math.floor(rand() * 30);
      const masks = Array.from({ length: k }, () =>
        Array.from({ length: n }, () => (rand() < 0.4 ? 1 : 0)),
      );
      const mean = meanAnnotation(masks);
      const vote = majorityVote(masks);
      for (let i = 0; i < n; i++) {
        let sum = 0;
        for (const m of masks) sum += m[i]!;
        expect(mean[i]).toBe(Math.fround(sum / k));
        expect(vote[i]).toBe(sum / k >= 0.5 ? 1 : 0);
      }
    }
  });

  it('reject bad input as rewardPenaltyMap does', () => {
    for (const f of [meanAnnotation, majorityVote]) {
      expect(() => f([])).toThrow(/non-empty list/);
      expect(() => f([[1, 0], [1]])).toThrow(/masks\[1\]: length 1 differs/);
      expect(() => f([[1, 0.5]])).toThrow(/masks\[0\]\[1\] = 0.5/);
      expect(() => f([[Number.NaN]])).toThrow(/NaN/);
      expect(() => f([null as unknown as number[]])).toThrow(/expected an array-like/);
    }
  });
});
