import { describe, expect, it } from 'vitest';
import type { Comparison } from '../evaluation/evaluation.js';
import { buildReport, type RunScores } from './report-data.js';
import { renderCsv, renderJson, renderMarkdown } from './report-render.js';

const comparisons = (...dice: number[]): Comparison[] =>
  dice.map((d, i) => ({ bone: 0, surgeon: i, dice: d, rpd: d + 0.1 }));

const layout = { bones: 2, surgeons: 3 };
const runs: RunScores[] = [
  { experiment: 1, model: 'unet3d', loss: 'rpdl', fold: 1, comparisons: comparisons(0.6, 0.6) },
  { experiment: 1, model: 'unet3d', loss: 'rpdl', fold: 0, comparisons: comparisons(0.5, 0.7) },
  { experiment: 1, model: 'unet3d', loss: 'dl', fold: 0, comparisons: comparisons(0.4, 0.4) },
  { experiment: 2, model: 'unet3d', loss: 'dl', fold: 0, comparisons: comparisons(0.9, 0.7) },
];
const baselines = [
  { experiment: 2 as const, name: 'surgeon' as const, fold: 0, comparisons: comparisons(0.7, 0.7) },
  { experiment: 1 as const, name: 'atlas' as const, fold: 0, comparisons: comparisons(0.2, 0.4) },
];

describe('report', () => {
  const report = buildReport({ layout, runs, baselines });

  it('summarises per fold and overall (mean of means ± mean of stds, pooled std)', () => {
    const exp1 = report.experiments[0]!;
    const rpdl = exp1.entries.find((e) => e.loss === 'rpdl')!;
    expect(rpdl.folds.map((f) => f.fold)).toEqual([0, 1]);
    expect(rpdl.dice.mean).toBeCloseTo(0.6, 12);
    expect(rpdl.dice.std).toBeCloseTo(0.05, 12);
    expect(rpdl.dice.pooledStd).toBeCloseTo(Math.sqrt(0.005), 12);
    expect(exp1.entries.map((e) => e.loss)).toEqual(['dl', 'rpdl']);
  });

  it('does not depend on the order runs arrive in (shards merged in any order)', () => {
    const shuffled = buildReport({
      layout,
      runs: [...runs].reverse(),
      baselines: [...baselines].reverse(),
    });
    expect(renderJson(shuffled)).toBe(renderJson(report));
  });

  it('renders Tables I, III and IV with incomplete series marked', () => {
    const md = renderMarkdown(report);
    expect(md).toContain('### Table I');
    expect(md).not.toContain('### Table II —');
    expect(md).toContain('| Bone1 | 0.400 ± 0.000 | 0.600 ± 0.100 | 0.300 ± 0.100 |');
    expect(md).toContain(
      '| Dice | U-net | 0.400 ± 0.000 [0.000] (1/2 folds) | 0.600 ± 0.050 [0.071] |',
    );
    expect(md).toContain(
      '| RPD | U-net | 0.500 ± 0.000 [0.000] (1/2 folds) | 0.700 ± 0.050 [0.071] |',
    );
    expect(md).toMatch(
      /### Table IV[\s\S]*\| Dice \| Surgeons \(held-out\) \| 0\.700 ± 0\.000 \[0\.000\] \(1\/3 folds\) \|/,
    );
    expect(renderMarkdown(report, { only: 'overall' })).not.toContain('### Table I ');
  });

  it('writes one CSV row per fold and metric plus the overall rows', () => {
    const lines = renderCsv(report).trim().split('\n');
    expect(lines[0]).toBe(
      'experiment,model,loss,baseline,fold,metric,mean,std,pooled_std,comparisons',
    );
    const row = (prefix: string) => {
      const line = lines.find((l) => l.startsWith(prefix));
      if (!line) throw new Error(`no CSV row starts with ${prefix}`);
      return line.slice(prefix.length).split(',');
    };
    const [mean, std, pooled, count] = row('1,unet3d,rpdl,,overall,dice,').map(Number);
    expect([mean, std, pooled, count]).toEqual([
      expect.closeTo(0.6, 12),
      expect.closeTo(0.05, 12),
      expect.closeTo(Math.sqrt(0.005), 12),
      4,
    ]);
    expect(row('2,,,surgeon,0,rpd,').map(Number)).toEqual([expect.closeTo(0.8, 12), 0, 0, 2]);
    // Per metric, one row per fold plus an overall row: Experiment 1 dl (1 fold), rpdl (2), atlas
    // (1); Experiment 2 dl (1), surgeon (1); plus the header.
    expect(lines).toHaveLength(1 + 2 * (2 + 3 + 2) + 2 * (2 + 2));
  });

  it('rejects a fold reported twice', () => {
    expect(() => buildReport({ layout, runs: [runs[0]!, runs[0]!], baselines: [] })).toThrow(
      /fold 1 appears twice/,
    );
  });
});
