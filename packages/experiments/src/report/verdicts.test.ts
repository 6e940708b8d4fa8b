import { describe, expect, it } from 'vitest';
import { bootstrapMeanInterval } from '../evaluation/paired-stats.js';
import type { LossName } from '../grid/grid.js';
import { type BaselineScores, buildReport, type RunScores } from './report-data.js';
import {
  describeClaim,
  EQUIVALENCE_MARGIN,
  judgeExperiment,
  paperClaims,
  VERDICT_MIN_FOLDS,
  VERDICT_RULE,
  verdictWord,
} from './verdicts.js';

/** One comparison per fold, so the fold mean Dice is exactly the given value. */
function runs(experiment: 1 | 2, loss: LossName, dice: readonly number[]): RunScores[] {
  return dice.map((d, fold) => ({
    experiment,
    model: 'unet3d',
    loss,
    fold,
    comparisons: [{ bone: fold, surgeon: 0, dice: d, rpd: d }],
  }));
}
function baseline(experiment: 1 | 2, name: 'atlas' | 'surgeon', dice: readonly number[]) {
  return dice.map(
    (d, fold): BaselineScores => ({
      experiment,
      name,
      fold,
      comparisons: [{ bone: fold, surgeon: 0, dice: d, rpd: d }],
    }),
  );
}

describe('verdict rule', () => {
  const above = { low: 0.01, high: 0.05 };
  const below = { low: -0.05, high: -0.01 };
  const across = { low: -0.01, high: 0.05 };
  it('"A > B": holds / does not hold only with the CI on one side and p < 0.05', () => {
    expect(verdictWord('greater', 9, above, 0.004)).toBe('holds');
    expect(verdictWord('greater', 9, below, 0.004)).toBe('does not hold');
    expect(verdictWord('greater', 9, above, 0.05)).toBe('inconclusive');
    expect(verdictWord('greater', 9, across, 0.01)).toBe('inconclusive');
    expect(verdictWord('greater', 9, { low: 0, high: 0.05 }, 0.01)).toBe('inconclusive');
  });

  it('"A ≈ B": the CI inside ±0.01 holds, entirely outside does not, else inconclusive', () => {
    expect(EQUIVALENCE_MARGIN).toBe(0.01);
    expect(verdictWord('equivalent', 7, { low: -0.004, high: 0.009 }, 0.5)).toBe('holds');
    expect(verdictWord('equivalent', 7, { low: -0.01, high: 0.01 }, 0.5)).toBe('holds');
    expect(verdictWord('equivalent', 7, { low: -0.03, high: -0.011 }, 0.01)).toBe('does not hold');
    expect(verdictWord('equivalent', 7, { low: 0.012, high: 0.03 }, 0.01)).toBe('does not hold');
    expect(verdictWord('equivalent', 7, { low: -0.02, high: 0.005 }, 0.3)).toBe('inconclusive');
  });

  it('is inconclusive below the minimum number of folds, whatever the numbers', () => {
    expect(VERDICT_MIN_FOLDS).toBe(6);
    expect(verdictWord('greater', 5, above, 0.001)).toBe('inconclusive');
    expect(verdictWord('equivalent', 5, { low: 0, high: 0 }, 1)).toBe('inconclusive');
    expect(verdictWord('greater', 6, above, 0.03)).toBe('holds');
  });

  it('is stated in words with its numbers', () => {
    expect(VERDICT_RULE).toContain('10,000 resamples, seed 2020');
    expect(VERDICT_RULE).toContain('n ≤ 25');
    expect(VERDICT_RULE).toContain('p < 0.05');
    expect(VERDICT_RULE).toContain('[−0.01, +0.01]');
    expect(VERDICT_RULE).toContain('fewer than 6 paired folds');
  });
});

describe('claims of the paper', () => {
  it('Experiment 1: loss orderings per model, then every network against the atlas', () => {
    const report = buildReport({
      layout: { bones: 9, surgeons: 7 },
      runs: [...runs(1, 'rpdl', [0.6]), ...runs(1, 'dl', [0.5]), ...runs(1, 'wcel', [0.4])],
      baselines: baseline(1, 'atlas', [0.3]),
    });
    expect(paperClaims(report.experiments[0]!).map((c) => describeClaim(c))).toEqual([
      'U-net RPDL > U-net DL',
      'U-net DL > U-net WCEL',
      'U-net RPDL > U-net WCEL',
      'U-net WCEL > atlas',
      'U-net DL > atlas',
      'U-net RPDL > atlas',
    ]);
  });

  it('Experiment 2: DL and RPDL above the held-out surgeons, WCEL below, RPDL ≈ DL', () => {
    const report = buildReport({
      layout: { bones: 9, surgeons: 7 },
      runs: [...runs(2, 'rpdl', [0.6]), ...runs(2, 'dl', [0.5]), ...runs(2, 'wcel', [0.4])],
      baselines: [...baseline(2, 'surgeon', [0.3]), ...baseline(2, 'atlas', [0.3])],
    });
    expect(paperClaims(report.experiments[0]!).map((c) => describeClaim(c))).toEqual([
      'U-net DL > held-out surgeons',
      'U-net RPDL > held-out surgeons',
      'held-out surgeons > U-net WCEL',
      'U-net RPDL ≈ U-net DL (±0.01)',
    ]);
  });

  it('lists only claims whose series exist', () => {
    const report = buildReport({
      layout: { bones: 9, surgeons: 7 },
      runs: runs(1, 'dl', [0.5]),
      baselines: [],
    });
    expect(paperClaims(report.experiments[0]!)).toEqual([]);
    expect(report.experiments[0]!.verdicts).toEqual([]);
  });
});

describe('judging a claim', () => {
  it('pairs fold means: differences 0.01…0.07 over 7 folds → Δ 0.04, exact p 2/128, holds', () => {
    const dl = [0.5, 0.52, 0.48, 0.55, 0.6, 0.45, 0.5];
    const rpdl = dl.map((d, i) => d + 0.01 * (i + 1));
    const report = buildReport({
      layout: { bones: 9, surgeons: 7 },
      runs: [...runs(1, 'dl', dl), ...runs(1, 'rpdl', rpdl)],
      baselines: [],
    });
    const [v] = report.experiments[0]!.verdicts;
    const differences = rpdl.map((r, i) => r - dl[i]!);
    expect(v).toMatchObject({
      kind: 'greater',
      folds: [0, 1, 2, 3, 4, 5, 6],
      n: 7,
      wilcoxon: { p: 2 / 128, wPlus: 28, wMinus: 0, zeros: 0, method: 'exact' },
      verdict: 'holds',
    });
    expect(v!.meanDifference).toBeCloseTo(0.04, 12);
    const ci = bootstrapMeanInterval(differences);
    expect(v!.ci).toEqual(ci);
    expect(v!.ci.low).toBeGreaterThan(0.01);
    expect(v!.ci.high).toBeLessThan(0.07);
  });

  it('uses only the folds both series have', () => {
    const report = buildReport({
      layout: { bones: 9, surgeons: 7 },
      runs: [...runs(1, 'dl', [0.5, 0.5, 0.5, 0.5, 0.5]), ...runs(1, 'rpdl', Array(9).fill(0.9))],
      baselines: [],
    });
    const [v] = report.experiments[0]!.verdicts;
    expect(v).toMatchObject({ n: 5, folds: [0, 1, 2, 3, 4], verdict: 'inconclusive' });
    // Five positive differences: the exact two-sided p is 2/32.
    expect(v!.wilcoxon.p).toBe(0.0625);
  });

  it('an ordering reversed by the data does not hold; RPDL within 0.001 of DL is equivalent', () => {
    const dl = [0.7, 0.72, 0.68, 0.71, 0.69, 0.7, 0.73];
    const rpdl = dl.map((d, i) => d + (i % 2 === 0 ? 0.001 : -0.0005));
    const surgeons = dl.map((d) => d + 0.05);
    const report = buildReport({
      layout: { bones: 9, surgeons: 7 },
      runs: [...runs(2, 'dl', dl), ...runs(2, 'rpdl', rpdl)],
      baselines: baseline(2, 'surgeon', surgeons),
    });
    const verdicts = judgeExperiment(report.experiments[0]!);
    expect(verdicts.map((v) => [describeClaim(v), v.verdict])).toEqual([
      ['U-net DL > held-out surgeons', 'does not hold'],
      ['U-net RPDL > held-out surgeons', 'does not hold'],
      ['U-net RPDL ≈ U-net DL (±0.01)', 'holds'],
    ]);
    expect(verdicts[0]!.meanDifference).toBeCloseTo(-0.05, 12);
  });
});
