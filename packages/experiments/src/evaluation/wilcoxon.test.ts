import { SeededRandom } from '@rpdl/random';
import { describe, expect, it } from 'vitest';
import { midranks, wilcoxonSignedRank } from './wilcoxon.js';

describe('midranks', () => {
  it('gives tied values the average of their ranks', () => {
    expect(midranks([10, 20, 20, 30])).toEqual({ ranks: [1, 2.5, 2.5, 4], tieSizes: [2] });
    expect(midranks([3, 1, 3, 3, 2])).toEqual({ ranks: [4, 1, 4, 4, 2], tieSizes: [3] });
  });
});

describe('Wilcoxon signed-rank test (two-sided)', () => {
  it('n = 5, all positive: W+ = 15, p = 2 · 1/32 = 0.0625 (exact)', () => {
    expect(wilcoxonSignedRank([0.1, 0.2, 0.3, 0.4, 0.5])).toEqual({
      n: 5,
      zeros: 0,
      wPlus: 15,
      wMinus: 0,
      p: 2 / 32,
      method: 'exact',
      ties: false,
    });
    expect(wilcoxonSignedRank([-1, -2, -3, -4, -5]).p).toBe(2 / 32);
  });

  it('n = 5, one negative of rank 5: W+ = 10, P(W+ ≥ 10) = 10/32, p = 0.625', () => {
    // Subset sums of {1…5} reaching ≥ 10: 10 (3 ways), 11 (2), 12 (2), 13, 14, 15 → 10 of 32.
    const r = wilcoxonSignedRank([1, 2, 3, 4, -5]);
    expect([r.wPlus, r.wMinus, r.p]).toEqual([10, 5, 20 / 32]);
  });

  it('n = 1: p = 1 (both one-sided tails are ½)', () => {
    expect(wilcoxonSignedRank([0.3]).p).toBe(1);
  });

  it('drops zero differences (Wilcoxon) and reports how many', () => {
    const r = wilcoxonSignedRank([0, 0.1, 0.2, 0, 0.3, 0.4, 0.5]);
    expect(r).toMatchObject({ n: 5, zeros: 2, wPlus: 15, p: 0.0625 });
    expect(wilcoxonSignedRank([0, 0, 0])).toMatchObject({ n: 0, zeros: 3, p: 1 });
  });

  it('with ties, enumerates the exact null over the midranks', () => {
    // |d| = 1, 1, 2, 3 → midranks 1.5, 1.5, 3, 4; W+ = 1.5 + 1.5 + 3 = 6. Of the 16 subset sums
    // of {1.5, 1.5, 3, 4} (0, 1.5, 1.5, 3, 3, 4, 4.5, 4.5, 5.5, 5.5, 6, 7, 7, 8.5, 8.5, 10),
    // 6 are ≥ 6 and 11 are ≤ 6 → p = 2 · 6/16 = 0.75.
    const r = wilcoxonSignedRank([1, 1, 2, -3]);
    expect(r).toMatchObject({ wPlus: 6, wMinus: 4, p: 0.75, method: 'exact', ties: true });
  });

  // References from brute-force enumeration of all 2ⁿ sign patterns over scipy.stats.rankdata's
  // midranks (independent of the dynamic programme here).
  it.each([
    [[0.5, -0.5, 0.25, 0.25, 1, 0.75, -0.1, 2], 30.5, 22 / 256],
    [[0.03, 0.01, -0.02, 0.04, 0.05, 0.02, 0.06, -0.01, 0.07], 40, 22 / 512],
  ])('exact with ties matches brute force: %j', (d, wPlus, p) => {
    const r = wilcoxonSignedRank(d);
    expect(r.wPlus).toBe(wPlus);
    expect(r.p).toBeCloseTo(p, 14);
  });

  it('agrees with brute-force enumeration on random tied samples (property)', () => {
    const rng = new SeededRandom(8);
    for (let trial = 0; trial < 30; trial++) {
      const n = 1 + (trial % 12);
      const d = [...Array(n)].map(() => Math.round((rng.next() - 0.4) * 8) / 2);
      const nonZero = d.filter((x) => x !== 0);
      const r = wilcoxonSignedRank(d);
      if (nonZero.length === 0) {
        expect(r.p).toBe(1);
        continue;
      }
      const { ranks } = midranks(nonZero.map(Math.abs));
      let below = 0;
      let above = 0;
      for (let mask = 0; mask < 2 ** ranks.length; mask++) {
        let s = 0;
        ranks.forEach((rank, i) => {
          if (mask & (1 << i)) s += rank;
        });
        if (s <= r.wPlus + 1e-9) below++;
        if (s >= r.wPlus - 1e-9) above++;
      }
      expect(r.p).toBeCloseTo(Math.min(1, (2 * Math.min(below, above)) / 2 ** ranks.length), 14);
      expect(r.wPlus + r.wMinus).toBeCloseTo(((ranks.length * (ranks.length + 1)) / 4) * 2, 12);
    }
  });

  it('is exact up to n = 25 and normal above', () => {
    const d = (n: number) => [...Array(n)].map((_, i) => (i % 3 === 0 ? -(i + 1) : i + 1));
    expect(wilcoxonSignedRank(d(25)).method).toBe('exact');
    expect(wilcoxonSignedRank(d(26)).method).toBe('normal');
    // 25 all positive: p = 2 / 2²⁵, exactly.
    expect(wilcoxonSignedRank(d(25).map(Math.abs)).p).toBe(2 / 2 ** 25);
  });

  // References: scipy.stats.wilcoxon(d, method='approx', correction=False, zero_method='wilcox').
  it('normal approximation (n = 30, no ties) matches SciPy', () => {
    const d = [...Array(30)].map((_, k) => ((((k + 1) * 7919) % 61) - 25) / 10);
    const r = wilcoxonSignedRank(d);
    expect(r.method).toBe('normal');
    expect(Math.min(r.wPlus, r.wMinus)).toBe(150);
    expect(r.p).toBeCloseTo(0.08971783776750893, 12);
  });

  it('normal approximation with zeros and ties (27 non-zero) matches SciPy', () => {
    const d = [...Array(30)].map((_, k) => (((k + 1) * 37) % 11) - 5);
    const r = wilcoxonSignedRank(d);
    expect(r).toMatchObject({ n: 27, zeros: 3, method: 'normal', ties: true });
    expect(Math.min(r.wPlus, r.wMinus)).toBe(176.5);
    expect(r.p).toBeCloseTo(0.7628153410866594, 12);
  });

  it('refuses empty or non-finite differences', () => {
    expect(() => wilcoxonSignedRank([])).toThrow(/at least one difference, got none/);
    expect(() => wilcoxonSignedRank([0.1, Number.NaN])).toThrow(
      /difference 1 must be finite, got NaN/,
    );
  });
});
