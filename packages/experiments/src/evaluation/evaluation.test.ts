import { describe, expect, it } from 'vitest';
import { atlasBaseline, evaluateFold, surgeonBaseline } from './evaluation.js';
import { dice, meanMask, rewardPenaltyDiceScore, threshold } from './metrics.js';

const u8 = (...v: number[]) => Uint8Array.from(v);
// 2 bones × 3 surgeons, 4 voxels; row = bone·3 + surgeon.
const data = {
  layout: { bones: 2, surgeons: 3 },
  masks: [
    u8(1, 1, 0, 0),
    u8(1, 0, 0, 0),
    u8(1, 1, 1, 0),
    u8(0, 0, 1, 1),
    u8(0, 0, 0, 1),
    u8(0, 1, 1, 1),
  ],
};

describe('metrics', () => {
  it('thresholds at 0.5 inclusive', () => {
    expect([...threshold([0.49, 0.5, 0.51, 0])]).toEqual([0, 1, 1, 0]);
  });

  it('computes Dice (Eq. 5) and RPD (Eq. 6) on hand-made volumes', () => {
    expect(dice(u8(1, 1, 0, 0), u8(1, 0, 1, 0))).toBe(0.5);
    expect(dice(u8(0, 0), u8(0, 0))).toBe(1);
    // 2·(1·1) / (1·1 + (1 + 1)·1) with the second voxel penalised: 2/3.
    expect(rewardPenaltyDiceScore(u8(1, 1), u8(1, 0), [1, -1])).toBeCloseTo(2 / 3, 12);
  });

  it('builds the thresholded mean mask', () => {
    expect([...meanMask([u8(1, 1, 0), u8(1, 0, 0)])]).toEqual([1, 1, 0]);
    expect(() => meanMask([u8(1), u8(1, 0)])).toThrow(/equal length/);
  });
});

describe("evaluateFold (the paper's protocol)", () => {
  it('Experiment 1: the held-out bone against each of its surgeries, map from those surgeries', () => {
    // Map of bone 0: counts 3, 2, 1, 0 over 3 surgeons → 1, 2/3, 1/3, penalty −1.
    const scores = evaluateFold(1, 0, data, () => u8(1, 1, 0, 0));
    expect(scores.map((c) => [c.bone, c.surgeon])).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
    ]);
    expect(scores[0]!.dice).toBeCloseTo(1, 12);
    expect(scores[0]!.rpd).toBeCloseTo(1, 12);
    expect(scores[1]!.dice).toBeCloseTo(2 / 3, 12);
    expect(scores[1]!.rpd).toBeCloseTo(2 / (1 + 5 / 3), 6); // the map is float32
    expect(scores[2]!.dice).toBeCloseTo(0.8, 12);
    expect(scores[2]!.rpd).toBeCloseTo(10 / 3 / (2 + 5 / 3), 6);
  });

  it('Experiment 2: every bone against the training surgeons; the surgeon baseline scores the held-out masks', () => {
    const scores = surgeonBaseline(0, data);
    expect(scores.map((c) => [c.bone, c.surgeon])).toEqual([
      [0, 1],
      [0, 2],
      [1, 1],
      [1, 2],
    ]);
    // Bone 0, surgeons 1 and 2: map 1, 0.5, 0.5, −1; prediction = surgeon 0's mask 1, 1, 0, 0.
    expect(scores.map((c) => c.dice)).toEqual(
      [2 / 3, 0.8, 2 / 3, 0.8].map((v) => expect.closeTo(v, 12)),
    );
    expect(scores.map((c) => c.rpd)).toEqual(
      [0.8, 6 / 7, 0.8, 6 / 7].map((v) => expect.closeTo(v, 12)),
    );
  });

  it("atlas baseline: the training masks' mean, thresholded", () => {
    // Experiment 1, fold 0: training rows are bone 1's → mean 0, 1/3, 2/3, 1 → atlas 0, 0, 1, 1.
    expect(atlasBaseline(1, 0, data).map((c) => c.dice)).toEqual(
      [0, 0, 2 / 5].map((v) => expect.closeTo(v, 12)),
    );
    // Experiment 2, fold 0, bone 0: surgeons 1, 2 → mean 1, 0.5, 0.5, 0 → atlas 1, 1, 1, 0.
    expect(
      atlasBaseline(2, 0, data)
        .slice(0, 2)
        .map((c) => c.dice),
    ).toEqual([0.5, 1].map((v) => expect.closeTo(v, 12)));
  });

  it('rejects folds that do not exist and mismatched layouts', () => {
    expect(() => evaluateFold(1, 2, data, () => u8(0, 0, 0, 0))).toThrow(
      /experiment 1 has folds 0\.\.1, got 2/,
    );
    expect(() =>
      evaluateFold(2, 0, { ...data, masks: data.masks.slice(1) }, () => u8(0, 0, 0, 0)),
    ).toThrow(/expected 6 masks/);
  });
});
