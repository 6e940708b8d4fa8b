import { SeededRandom } from '@rpdl/random';
import { describe, expect, it } from 'vitest';
import {
  BOOTSTRAP_RESAMPLES,
  BOOTSTRAP_SEED,
  bootstrapMeanInterval,
  mean,
  pairedDifferences,
  quantileSorted,
} from './paired-stats.js';

describe('paired differences and their mean', () => {
  it('subtracts pairwise and averages', () => {
    expect(pairedDifferences([0.7, 0.6, 0.5], [0.5, 0.65, 0.5])).toEqual([
      0.7 - 0.5,
      0.6 - 0.65,
      0,
    ]);
    // (0.2 − 0.05 + 0) / 3
    expect(mean(pairedDifferences([0.7, 0.6, 0.5], [0.5, 0.65, 0.5]))).toBeCloseTo(0.05, 15);
  });

  it('refuses unpaired, empty or non-finite samples', () => {
    expect(() => pairedDifferences([1, 2], [1])).toThrow(/must pair up, got 2 and 1/);
    expect(() => pairedDifferences([], [])).toThrow(/at least one value/);
    expect(() => pairedDifferences([1, Number.NaN], [1, 2])).toThrow(
      /first sample\): value 1 must be finite, got NaN/,
    );
    expect(() => mean([Number.POSITIVE_INFINITY])).toThrow(/value 0 must be finite/);
  });
});

describe('quantileSorted (type 7)', () => {
  it('interpolates between order statistics at (n − 1)·p', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    // position 3 · 0.025 = 0.075 → 1 + 0.075 · (2 − 1)
    expect(quantileSorted([1, 2, 3, 4], 0.025)).toBeCloseTo(1.075, 15);
    expect(quantileSorted([1, 2, 3, 4], 1)).toBe(4);
    expect(quantileSorted([7], 0.3)).toBe(7);
  });

  it('refuses unsorted input and p outside [0, 1]', () => {
    expect(() => quantileSorted([2, 1], 0.5)).toThrow(/sorted ascending \(index 1\)/);
    expect(() => quantileSorted([1, 2], 1.5)).toThrow(/p must be in \[0, 1\], got 1.5/);
    expect(() => quantileSorted([1, 2], Number.NaN)).toThrow(/p must be in \[0, 1\]/);
  });
});

describe('percentile bootstrap interval of the mean', () => {
  it('uses 10,000 resamples and a fixed seed by default, and is reproducible', () => {
    const a = bootstrapMeanInterval([0.02, 0.05, -0.01, 0.04, 0.03]);
    expect(a).toMatchObject({ resamples: BOOTSTRAP_RESAMPLES, seed: BOOTSTRAP_SEED });
    expect(BOOTSTRAP_RESAMPLES).toBe(10_000);
    expect(bootstrapMeanInterval([0.02, 0.05, -0.01, 0.04, 0.03])).toEqual(a);
    expect(a.low).toBeLessThan(0.026);
    expect(a.high).toBeGreaterThan(0.026);
  });

  it('collapses to the value when every resample has the same mean', () => {
    expect(bootstrapMeanInterval([0.3])).toMatchObject({ low: 0.3, high: 0.3 });
    // (0.1 + 0.1 + 0.1) / 3 rounds to 0.10000000000000002 in float64.
    const ci = bootstrapMeanInterval([0.1, 0.1, 0.1]);
    expect(ci.low).toBeCloseTo(0.1, 15);
    expect(ci.high).toBe(ci.low);
  });

  it('hits the extreme atoms when they carry more than 2.5 % of the bootstrap distribution', () => {
    // n = 3 values {0, 1, 5}: resample mean 0 (all three draws 0) has probability 1/27 ≈ 3.7 %,
    // and so has 5; with 10,000 draws ~370 land on each end, so the 2.5 % and 97.5 % quantiles
    // (order statistics 250 and 9750) are exactly 0 and 5.
    expect(bootstrapMeanInterval([0, 1, 5])).toMatchObject({ low: 0, high: 5 });
    // n = 2 values {0, 1}: means 0, ½, 1 with probabilities ¼, ½, ¼.
    expect(bootstrapMeanInterval([0, 1])).toMatchObject({ low: 0, high: 1 });
  });

  it('agrees with the normal-theory interval mean ± 1.96·σ/√n for a large sample (property)', () => {
    const rng = new SeededRandom(11);
    const values = [...Array(200)].map(() => rng.next());
    const m = mean(values);
    const sigma = Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / values.length);
    const half = (1.959964 * sigma) / Math.sqrt(values.length);
    const ci = bootstrapMeanInterval(values, { seed: 3 });
    // Monte Carlo error of a 2.5 % quantile from 10,000 draws is ~3 % of the half-width.
    expect(ci.low).toBeCloseTo(m - half, 2);
    expect(ci.high).toBeCloseTo(m + half, 2);
    expect(Math.abs(ci.high - ci.low - 2 * half) / (2 * half)).toBeLessThan(0.08);
  });

  it('draws differently with another seed', () => {
    const values = [0.02, 0.05, -0.01, 0.04, 0.03, 0.1, -0.04];
    expect(bootstrapMeanInterval(values, { seed: 1 })).not.toEqual(
      bootstrapMeanInterval(values, { seed: 2 }),
    );
  });

  it('refuses bad options and input', () => {
    expect(() => bootstrapMeanInterval([])).toThrow(/at least one value/);
    expect(() => bootstrapMeanInterval([1, Number.NaN])).toThrow(/value 1 must be finite/);
    expect(() => bootstrapMeanInterval([1], { resamples: 0 })).toThrow(
      /resamples must be a positive integer, got 0/,
    );
    expect(() => bootstrapMeanInterval([1], { resamples: 2.5 })).toThrow(/positive integer/);
    expect(() => bootstrapMeanInterval([1], { confidence: 1 })).toThrow(
      /confidence must be in \(0, 1\), got 1/,
    );
  });
});
