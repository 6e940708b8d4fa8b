import { describe, expect, it } from 'vitest';
import { prng } from '../../test/float64.js';
import {
  DEFAULT_THRESHOLDS,
  expectedCalibrationError,
  generalizedEnergyDistance,
  thresholdAveragedDice,
} from '../metrics.js';

// Float64 references written from the definitions, independently of the implementations.

function mean64(masks: number[][]): number[] {
  return masks[0]!.map((_, i) => masks.reduce((s, m) => s + m[i]!, 0) / masks.length);
}

function dice64(a: boolean[], b: boolean[]): number {
  let both = 0;
  let sizes = 0;
  a.forEach((v, i) => {
    if (v && b[i]) both++;
    sizes += (v ? 1 : 0) + (b[i] ? 1 : 0);
  });
  return sizes === 0 ? 1 : (2 * both) / sizes;
}

function thresholdAveragedDice64(p: number[], masks: number[][], ts: readonly number[]): number {
  const mean = mean64(masks);
  const scores = ts.map((t) =>
    dice64(
      p.map((v) => v >= t),
      mean.map((v) => v >= t),
    ),
  );
  return scores.reduce((a, b) => a + b, 0) / ts.length;
}

function distance64(a: number[], b: number[]): number {
  const inter = a.filter((v, i) => v === 1 && b[i] === 1).length;
  const union = a.filter((v, i) => v === 1 || b[i] === 1).length;
  return union === 0 ? 0 : 1 - inter / union;
}

function ged64(samples: number[][], masks: number[][]): number {
  const expectation = (as: number[][], bs: number[][]) =>
    as.flatMap((a) => bs.map((b) => distance64(a, b))).reduce((x, y) => x + y, 0) /
    (as.length * bs.length);
  return (
    2 * expectation(samples, masks) - expectation(samples, samples) - expectation(masks, masks)
  );
}

function ece64(p: number[], target: number[], bins: number): number {
  let total = 0;
  for (let b = 0; b < bins; b++) {
    const lo = b / bins;
    const hi = (b + 1) / bins;
    const members = p
      .map((_, i) => i)
      .filter((i) => p[i]! >= lo && (b === bins - 1 ? p[i]! <= 1 : p[i]! < hi));
    if (members.length === 0) continue;
    const meanP = members.reduce((s, i) => s + p[i]!, 0) / members.length;
    const meanT = members.reduce((s, i) => s + target[i]!, 0) / members.length;
    total += (members.length / p.length) * Math.abs(meanP - meanT);
  }
  return total;
}

function randomMasks(rand: () => number, k: number, n: number, rate = 0.4): number[][] {
  return Array.from({ length: k }, () => Array.from({ length: n }, () => (rand() < rate ? 1 : 0)));
}

describe('thresholdAveragedDice', () => {
  it('matches hand-derived values', () => {
    expect([...DEFAULT_THRESHOLDS]).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    // Ȳ = [1, 0.5, 0]; t ≤ 0.4: {0, 1} both → 1; t = 0.5: {0} vs {0, 1} → 2/3; t ≥ 0.6: {0} → 1
    expect(
      thresholdAveragedDice(
        [0.9, 0.4, 0.05],
        [
          [1, 1, 0],
          [1, 0, 0],
        ],
      ),
    ).toBeCloseTo((8 + 2 / 3) / 9, 12);
    // Ȳ = 0.3 of 10 annotators equals the threshold 0.3 (≥): foreground at t ≤ 0.3 only
    const masks = Array.from({ length: 10 }, (_, k) => [k < 3 ? 1 : 0]);
    // P = 0.3: foreground at t ≤ 0.3 as well → every threshold agrees
    expect(thresholdAveragedDice([0.3], masks)).toBe(1);
    // P = 0.25: t = 0.3 disagrees (0 vs 1); t ≤ 0.2 agree; t ≥ 0.4 both empty → 8/9
    expect(thresholdAveragedDice([0.25], masks)).toBeCloseTo(8 / 9, 12);
    // custom thresholds
    expect(thresholdAveragedDice([0.25], masks, { thresholds: [0.3] })).toBe(0);
  });

  it('agrees with a float64 reference (random cases)', () => {
    const rand = prng(31);
    for (let trial = 0; trial < 30; trial++) {
      const n = 1 + Math.floor(rand() * 40);
      const k = 1 + Math.floor(rand() * 7);
      const masks = randomMasks(rand, k, n);
      const p = Array.from({ length: n }, () =>
        rand() < 0.2 ? Math.floor(rand() * 11) / 10 : rand(),
      );
      const ts = trial % 2 === 0 ? DEFAULT_THRESHOLDS : [0.25, 0.5, 0.75];
      expect(thresholdAveragedDice(Float64Array.from(p), masks, { thresholds: ts })).toBeCloseTo(
        thresholdAveragedDice64(p, masks, ts),
        12,
      );
    }
  });

  it('rejects bad input', () => {
    const masks = [[1, 0]];
    expect(() => thresholdAveragedDice([0.2, 1.2], masks)).toThrow(
      /probability\[1\] = 1.2; expected a probability in \[0, 1\]/,
    );
    expect(() => thresholdAveragedDice([0.2], masks)).toThrow(
      /probability has 1 voxels and the masks 2/,
    );
    expect(() => thresholdAveragedDice([0.2, 0.1], [])).toThrow(/masks must be a non-empty list/);
    expect(() => thresholdAveragedDice([0.2, 0.1], [[1, 0.5]])).toThrow(
      /masks\[0\]\[1\] = 0.5; expected a binary mask/,
    );
    expect(() => thresholdAveragedDice([0.2, 0.1], [[1, 0], [1]])).toThrow(
      /masks\[0\] has 2 voxels and masks\[1\] 1/,
    );
    expect(() => thresholdAveragedDice([0.2, 0.1], masks, { thresholds: [] })).toThrow(
      /thresholds must be a non-empty list/,
    );
    expect(() => thresholdAveragedDice([0.2, 0.1], masks, { thresholds: [0.5, 2] })).toThrow(
      /thresholds\[1\] = 2/,
    );
  });
});

describe('generalizedEnergyDistance', () => {
  it('matches hand-derived values', () => {
    // E[d(S, Y)] = ½, E[d(S, S′)] = 0, E[d(Y, Y′)] = (0 + 1 + 1 + 0)/4 → 1 − 0 − ½
    expect(
      generalizedEnergyDistance(
        [[1, 0]],
        [
          [1, 0],
          [0, 1],
        ],
      ),
    ).toBe(0.5);
    // identical single sample and annotation: 0; empty vs empty: d = 0
    expect(generalizedEnergyDistance([[1, 1, 0]], [[1, 1, 0]])).toBe(0);
    expect(generalizedEnergyDistance([[0, 0]], [[0, 0]])).toBe(0);
    // S = {0, 1}, Y = {1, 2}: IoU 1/3 → d = 2/3; D² = 2·2/3
    expect(generalizedEnergyDistance([[1, 1, 0]], [[0, 1, 1]])).toBeCloseTo(4 / 3, 12);
    // an empty sample against a marked annotation: d = 1 → D² = 2
    expect(generalizedEnergyDistance([[0, 0]], [[0, 1]])).toBe(2);
  });

  it('agrees with a float64 reference (random cases)', () => {
    const rand = prng(37);
    for (let trial = 0; trial < 30; trial++) {
      const n = 1 + Math.floor(rand() * 30);
      const samples = randomMasks(rand, 1 + Math.floor(rand() * 4), n, 0.3);
      const masks = randomMasks(rand, 1 + Math.floor(rand() * 6), n, 0.3);
      expect(
        generalizedEnergyDistance(
          samples.map((s) => Uint8Array.from(s)),
          masks,
        ),
      ).toBeCloseTo(ged64(samples, masks), 12);
    }
  });

  it('rejects bad input', () => {
    expect(() => generalizedEnergyDistance([], [[1]])).toThrow(/samples must be a non-empty list/);
    expect(() => generalizedEnergyDistance([[0.7]], [[1]])).toThrow(
      /samples\[0\]\[0\] = 0.7; expected a binary mask/,
    );
    expect(() => generalizedEnergyDistance([[1, 0]], [[1]])).toThrow(
      /samples have 2 voxels and masks 1/,
    );
    expect(() => generalizedEnergyDistance([[1]], [[2]])).toThrow(/masks\[0\]\[0\] = 2/);
  });
});

describe('expectedCalibrationError', () => {
  it('matches hand-derived values', () => {
    // bin 8: P 0.8, 0.8 vs 1, 0 → (2/3)·0.3; bin 1: P 0.1 vs 0 → (1/3)·0.1
    expect(expectedCalibrationError([0.8, 0.8, 0.1], [1, 0, 0])).toBeCloseTo(0.7 / 3, 12);
    // 1.0 falls in the last bin with 0.95: mean P 0.975 vs mean target 1
    expect(expectedCalibrationError([1, 0.95], [1, 1])).toBeCloseTo(0.025, 12);
    // a perfectly calibrated soft target
    expect(expectedCalibrationError([0.5, 0.25], [0.5, 0.25])).toBe(0);
    // 2 bins: [0, 0.5) holds 0.2, 0.4 (targets 0, 1): |0.3 − 0.5|·2/3; [0.5, 1] holds 0.5 (0)
    expect(expectedCalibrationError([0.2, 0.4, 0.5], [0, 1, 0], { bins: 2 })).toBeCloseTo(
      (2 / 3) * 0.2 + (1 / 3) * 0.5,
      12,
    );
  });

  it('puts a probability exactly on a boundary in the upper bin', () => {
    // P = k/10 and P = k/10 + 0.05 with their targets swapped: in one bin the gaps cancel (0);
    // k/10 put in the bin below would leave 2·0.05/2
    for (let k = 0; k < 10; k++) {
      const lo = k / 10;
      const inside = lo + 0.05;
      // same bin → the gaps cancel → 0; a wrong bin for `lo` would leave 2·0.05/2
      expect(expectedCalibrationError([lo, inside], [inside, lo])).toBeCloseTo(0, 12);
    }
  });

  it('agrees with a float64 reference (random cases)', () => {
    const rand = prng(43);
    for (let trial = 0; trial < 30; trial++) {
      const n = 1 + Math.floor(rand() * 50);
      const bins = 1 + Math.floor(rand() * 20);
      const p = Array.from({ length: n }, () =>
        rand() < 0.2 ? Math.floor(rand() * (bins + 1)) / bins : rand(),
      );
      const target =
        trial % 2 === 0
          ? Array.from({ length: n }, () => (rand() < 0.5 ? 1 : 0))
          : mean64(randomMasks(rand, 3, n));
      expect(expectedCalibrationError(p, Float32Array.from(target), { bins })).toBeCloseTo(
        ece64(p, Array.from(Float32Array.from(target)), bins),
        12,
      );
    }
  });

  it('rejects bad input', () => {
    expect(() => expectedCalibrationError([1.5], [1])).toThrow(
      /probability\[0\] = 1.5; expected a probability in \[0, 1\]/,
    );
    expect(() => expectedCalibrationError([-2], [1])).toThrow(/probability\[0\] = -2/);
    expect(() => expectedCalibrationError([Number.NaN], [1])).toThrow(/NaN/);
    expect(() => expectedCalibrationError([0.5], [2])).toThrow(/target\[0\] = 2/);
    expect(() => expectedCalibrationError([0.5, 0.2], [1])).toThrow(
      /probability has 2 voxels and target 1/,
    );
    expect(() => expectedCalibrationError([], [])).toThrow(/probability is empty/);
    expect(() => expectedCalibrationError([0.5], [1], { bins: 0 })).toThrow(
      /bins must be a positive integer, got 0/,
    );
    expect(() => expectedCalibrationError([0.5], [1], { bins: 2.5 })).toThrow(/bins/);
  });
});
