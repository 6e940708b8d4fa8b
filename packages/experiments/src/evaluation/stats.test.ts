import { SeededRandom } from '@rpdl/random';
import { describe, expect, it } from 'vitest';
import { meanStd, overallOfFolds, overallOfSummaries } from './stats.js';

/** The paper's Table I (Experiment 1, U-net and V-net): per-bone "mean ± std" and the Overall row. */
const TABLE_I: Record<string, { bones: Array<[number, number]>; overall: [number, number] }> = {
  'U-net WCEL': {
    bones: [
      [0.48, 0.075],
      [0.597, 0.1],
      [0.482, 0.082],
      [0.658, 0.08],
      [0.62, 0.1],
      [0.553, 0.042],
      [0.561, 0.108],
      [0.514, 0.108],
      [0.544, 0.094],
    ],
    overall: [0.556, 0.088],
  },
  'U-net DL': {
    bones: [
      [0.628, 0.052],
      [0.523, 0.125],
      [0.538, 0.055],
      [0.609, 0.068],
      [0.628, 0.089],
      [0.613, 0.052],
      [0.683, 0.075],
      [0.568, 0.064],
      [0.639, 0.107],
    ],
    overall: [0.603, 0.076],
  },
  'U-net RPDL': {
    bones: [
      [0.696, 0.059],
      [0.62, 0.094],
      [0.684, 0.076],
      [0.66, 0.07],
      [0.683, 0.102],
      [0.636, 0.078],
      [0.662, 0.082],
      [0.598, 0.089],
      [0.636, 0.097],
    ],
    overall: [0.653, 0.083],
  },
  'V-net WCEL': {
    bones: [
      [0.425, 0.046],
      [0.464, 0.088],
      [0.439, 0.074],
      [0.614, 0.076],
      [0.488, 0.097],
      [0.478, 0.041],
      [0.54, 0.107],
      [0.543, 0.098],
      [0.501, 0.085],
    ],
    overall: [0.499, 0.079],
  },
};

describe('the paper\'s "Overall" row', () => {
  it.each(Object.entries(TABLE_I))(
    '%s: mean of fold means ± mean of fold stds reproduces the printed row',
    (_, column) => {
      const overall = overallOfSummaries(column.bones.map(([mean, std]) => ({ mean, std })));
      // The nine inputs are rounded to 3 decimals (±0.0005 each), and so is the printed result:
      // the recomputed value may differ from the printed one by at most 0.0005 + 0.0005.
      expect(Math.abs(overall.mean - column.overall[0])).toBeLessThanOrEqual(0.001);
      expect(Math.abs(overall.std - column.overall[1])).toBeLessThanOrEqual(0.001);
    },
  );

  it('U-net WCEL in numbers: 5.009 / 9 and 0.789 / 9', () => {
    const overall = overallOfSummaries(
      TABLE_I['U-net WCEL']!.bones.map(([mean, std]) => ({ mean, std })),
    );
    expect(overall.mean).toBeCloseTo(5.009 / 9, 12);
    expect(overall.std).toBeCloseTo(0.789 / 9, 12);
  });
});

describe('meanStd and overallOfFolds', () => {
  it('uses the population standard deviation (divisor n)', () => {
    expect(meanStd([1, 2, 3, 4])).toEqual({ mean: 2.5, std: Math.sqrt(1.25) });
    expect(meanStd([7])).toEqual({ mean: 7, std: 0 });
  });

  it('computes a hand-made two-fold case', () => {
    // fold A: 0.5, 0.7 → mean 0.6, std 0.1; fold B: 0.6, 0.6 → mean 0.6, std 0
    // pooled: values 0.5, 0.7, 0.6, 0.6 around 0.6 → sqrt((0.01 + 0.01 + 0 + 0) / 4)
    const o = overallOfFolds([
      [0.5, 0.7],
      [0.6, 0.6],
    ]);
    expect(o.mean).toBeCloseTo(0.6, 12);
    expect(o.std).toBeCloseTo(0.05, 12);
    expect(o.pooledStd).toBeCloseTo(Math.sqrt(0.005), 12);
    expect(o).toMatchObject({ folds: 2, count: 4 });
  });

  it('pooled variance = mean fold variance + variance of the fold means, for equal-size folds (property)', () => {
    const rng = new SeededRandom(5);
    for (let trial = 0; trial < 20; trial++) {
      const folds = [...Array(2 + (trial % 7))].map(() => [...Array(6)].map(() => rng.next()));
      const o = overallOfFolds(folds);
      const perFold = folds.map((f) => meanStd(f));
      const within = perFold.reduce((s, f) => s + f.std ** 2, 0) / folds.length;
      const between = meanStd(perFold.map((f) => f.mean)).std ** 2;
      expect(o.pooledStd ** 2).toBeCloseTo(within + between, 12);
      expect(o.pooledStd).toBeGreaterThanOrEqual(Math.min(...perFold.map((f) => f.std)) - 1e-12);
    }
  });

  it('refuses empty or non-finite input', () => {
    expect(() => meanStd([])).toThrow(/at least one value/);
    expect(() => overallOfFolds([[0.5], [Number.NaN]])).toThrow(/fold 1: values must be finite/);
    expect(() => overallOfFolds([])).toThrow(/at least one fold/);
  });
});
