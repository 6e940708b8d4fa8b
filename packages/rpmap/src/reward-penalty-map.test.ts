import { describe, expect, it } from 'vitest';
import { prng } from '../../../tooling/testing/prng.js';
import { countAnnotations, rewardPenaltyMap } from './index.js';

describe('rewardPenaltyMap', () => {
  it('divides counts by K and penalises unmarked voxels (hand-derived, Fig. 2)', () => {
    // K = 4; counts per voxel: [4, 3, 1, 0, 2]
    const masks = [
      [1, 1, 1, 0, 0],
      [1, 1, 0, 0, 1],
      [1, 1, 0, 0, 1],
      [1, 0, 0, 0, 0],
    ];
    const map = rewardPenaltyMap(masks);
    expect(map).toBeInstanceOf(Float32Array);
    expect(Array.from(map)).toEqual([1, 0.75, 0.25, -1, 0.5]);
  });

  it("scale 'max' divides by the largest count, and the penalty is configurable", () => {
    // K = 3 but no voxel marked by all three: counts [2, 1, 0]
    const masks = [
      [1, 1, 0],
      [1, 0, 0],
      [0, 0, 0],
    ];
    expect(Array.from(rewardPenaltyMap(masks, { scale: 'max' }))).toEqual([1, 0.5, -1]);
    expect(Array.from(rewardPenaltyMap(masks, { penalty: -0.25 }))).toEqual([
      Math.fround(2 / 3),
      Math.fround(1 / 3),
      -0.25,
    ]);
  });

  it('gives every voxel the penalty when nobody marked anything, for either scale', () => {
    expect(Array.from(rewardPenaltyMap([[0, 0]], { scale: 'max' }))).toEqual([-1, -1]);
    expect(Array.from(rewardPenaltyMap([[0, 0]]))).toEqual([-1, -1]);
  });

  it('property: marked voxels lie in (0, 1], unmarked hold the penalty, order follows counts', () => {
    const rand = prng(7);
    for (let trial = 0; trial < 50; trial++) {
      const k = 1 + Math.floor(rand() * 7);
      const n = 1 + Math.floor(rand() * 40);
      const masks = Array.from({ length: k }, () =>
        Array.from({ length: n }, () => (rand() < 0.4 ? 1 : 0)),
      );
      const counts = countAnnotations(masks);
      for (const scale of ['annotators', 'max'] as const) {
        const map = rewardPenaltyMap(masks, { scale, penalty: -0.5 });
        for (let i = 0; i < n; i++) {
          if (counts[i] === 0) expect(map[i]).toBe(-0.5);
          else {
            expect(map[i]).toBeGreaterThan(0);
            expect(map[i]).toBeLessThanOrEqual(1);
          }
          for (let j = 0; j < n; j++) {
            if (counts[i]! > counts[j]!) expect(map[i]).toBeGreaterThan(map[j]!);
          }
        }
      }
    }
  });

  it('rejects bad input instead of coercing it', () => {
    expect(() => rewardPenaltyMap([])).toThrow(/non-empty list/);
    expect(() => rewardPenaltyMap([[1, 0], [1]])).toThrow(/length 1 differs/);
    expect(() => rewardPenaltyMap([[1, 0.5]])).toThrow(/\[0\]\[1\] = 0.5/);
    expect(() => rewardPenaltyMap([[Number.NaN]])).toThrow(/NaN/);
    expect(() => rewardPenaltyMap([[1]], { penalty: 0 })).toThrow(/penalty must be .* < 0, got 0/);
    expect(() => rewardPenaltyMap([[1]], { penalty: 1 })).toThrow(/penalty/);
    expect(() => rewardPenaltyMap([[1]], { penalty: Number.NaN })).toThrow(/penalty/);
    expect(() => rewardPenaltyMap([[1]], { scale: 'median' as unknown as 'max' })).toThrow(
      /scale must be 'annotators' or 'max', got median/,
    );
  });
});
