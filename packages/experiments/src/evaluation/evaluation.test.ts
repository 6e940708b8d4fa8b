import { describe, expect, it } from 'vitest';
import { twoBonesThreeSurgeons, u8 } from '../../test/cm-fixture.js';
import {
  type AnnotatedCases,
  atlasBaseline,
  baselineImageScores,
  evaluateFold,
  scoreImages,
  surgeonBaseline,
} from './evaluation.js';

const data = twoBonesThreeSurgeons();

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

describe('scoreImages (threshold-averaged Dice, GED, ECE per image)', () => {
  it('Experiment 1: the held-out bone against all its annotations, by hand', () => {
    // Bone 0: masks 1100, 1000, 1110 → mean 1, 2/3, 1/3, 0; P = 0.9, 0.6, 0.2, 0.
    const [score, ...rest] = scoreImages(1, 0, data, () => [0.9, 0.6, 0.2, 0]);
    expect(rest).toEqual([]);
    expect(score!.bone).toBe(0);
    // Every t but 0.3 binarises both alike; at t = 0.3, {0, 1} vs {0, 1, 2}: 2·2/5.
    expect(score!.thresholdDice).toBeCloseTo((8 + 0.8) / 9, 12);
    // S = 1100: d to the masks 0, 1/2, 1/3 → E = 5/18; among the masks 2·(1/2 + 1/3 + 2/3)/9.
    expect(score!.ged).toBeCloseTo(2 * (5 / 18) - 1 / 3, 12);
    // One voxel per bin: (|0.9 − 1| + |0.6 − 2/3| + |0.2 − 1/3| + 0) / 4 (the mean is float32).
    expect(score!.ece).toBeCloseTo(0.3 / 4, 6);
  });

  it('Experiment 2: each bone against the training surgeons only (the surgeon baseline)', () => {
    const scores = baselineImageScores('surgeon', 2, 0, data);
    expect(scores.map((s) => s.bone)).toEqual([0, 1]);
    // Bone 0: sample 1100 (surgeon 0) against 1000 and 1110; mean 1, 0.5, 0.5, 0.
    expect(scores[0]!.ged).toBeCloseTo(2 * (5 / 12) - 1 / 3, 12);
    // t ≤ 0.5: {0, 1} vs {0, 1, 2} → 0.8 (five levels); t ≥ 0.6: {0, 1} vs {0} → 2/3 (four).
    expect(scores[0]!.thresholdDice).toBeCloseTo((5 * 0.8 + (4 * 2) / 3) / 9, 12);
    // Bin 1.0 holds voxels 0, 1: |(1 − 1) + (1 − 0.5)|; bin 0 holds 2, 3: |−0.5 + 0| → 1/4.
    expect(scores[0]!.ece).toBeCloseTo(0.25, 12);
    // The atlas of bone 0 (surgeons 1, 2, mean ≥ 0.5) is 1110, equal to surgeon 2's mask:
    // d to 1000 is 2/3, to 1110 is 0; among the masks 2·(2/3)/4.
    const atlas = baselineImageScores('atlas', 2, 0, data);
    expect(atlas[0]!.ged).toBeCloseTo(2 * ((2 / 3 + 0) / 2) - (2 * (2 / 3)) / 4, 12);
    expect(() => baselineImageScores('surgeon', 1, 0, data)).toThrow(/Experiment 2 only/);
  });

  it('refuses a probability outside [0, 1]', () => {
    expect(() => scoreImages(1, 0, data, () => [1.5, 0, 0, 0])).toThrow(/probability/);
  });
});

describe('evaluation on cases (a folder of your own)', () => {
  const cases = (order: [string, string][]): AnnotatedCases => ({
    cases: [
      { id: 'a', annotations: [u8(1, 1, 0, 0), u8(1, 0, 0, 0)], annotators: ['r0', 'r1'] },
      {
        id: 'b',
        annotations: order.map(([, m]) => u8(...m.split('').map(Number))),
        annotators: order.map(([r]) => r),
      },
    ],
  });

  it('holds out an annotator by name, whatever its position in each case', () => {
    const data2 = cases([
      ['r1', '0011'],
      ['r0', '0001'],
    ]);
    // Fold 1 holds out r1: case a is compared with r0 (index 0), case b with r0 (index 1).
    const scores = evaluateFold(2, 1, data2, () => u8(0, 0, 0, 1));
    expect(scores.map((c) => [c.bone, c.surgeon, c.dice])).toEqual([
      [0, 0, 0],
      [1, 1, 1],
    ]);
    // The surgeon baseline predicts the held-out r1 mask of each case.
    expect(surgeonBaseline(1, data2).map((c) => c.dice)).toEqual([
      expect.closeTo(2 / 3, 12),
      expect.closeTo(2 / 3, 12),
    ]);
  });

  it('leave-one-case-out takes cases with any number of annotations', () => {
    const data3: AnnotatedCases = {
      cases: [
        { id: 'a', annotations: [u8(1, 1, 0, 0)], annotators: ['x'] },
        {
          id: 'b',
          annotations: [u8(0, 0, 1, 1), u8(0, 0, 0, 1), u8(0, 1, 1, 1)],
          annotators: ['p', 'q', 'r'],
        },
      ],
    };
    expect(evaluateFold(1, 1, data3, () => u8(0, 0, 1, 1)).map((c) => c.surgeon)).toEqual([
      0, 1, 2,
    ]);
    // Experiment 1's atlas: the majority of the other case's single mask.
    expect(atlasBaseline(1, 1, data3).map((c) => c.dice)).toEqual([0, 0, expect.closeTo(0.4, 12)]);
    expect(() => evaluateFold(2, 0, data3, () => u8(0, 0, 0, 0))).toThrow(
      /needs the same annotators on every case/,
    );
  });
});
