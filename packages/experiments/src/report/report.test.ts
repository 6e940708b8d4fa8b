import { describe, expect, it } from 'vitest';
import type { Comparison } from '../evaluation/evaluation.js';
import { buildReport, type RunScores } from './report-data.js';
import {
  notConvergedNote,
  notConvergedRuns,
  renderCsv,
  renderJson,
  renderMarkdown,
} from './report-render.js';

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

  it('marks runs that hit the epoch cap in the tables and lists them under them', () => {
    const capped = buildReport({
      layout,
      runs: [
        { ...runs[0]!, stopReason: 'early-stopping', epochs: 30 },
        { ...runs[1]!, stopReason: 'max-epochs', epochs: 8 },
        runs[2]!,
        { ...runs[3]!, stopReason: 'max-epochs', epochs: 8 },
      ],
      baselines,
    });
    const md = renderMarkdown(capped);
    // Bone1: DL (no stop reason recorded) unmarked, RPDL fold 0 capped.
    expect(md).toContain('| Bone1 | 0.400 ± 0.000 | 0.600 ± 0.100 † | 0.300 ± 0.100 |');
    expect(md).toContain('| Bone2 | — | 0.600 ± 0.000 | — |');
    expect(md).toContain(
      '| Dice | U-net | 0.400 ± 0.000 [0.000] (1/2 folds) | 0.600 ± 0.050 [0.071] † |',
    );
    expect(md).toContain(
      '† Not converged: 2 run(s) ended at the epoch cap instead of by early stopping: exp1/unet3d/rpdl fold 0 (8 epochs); exp2/unet3d/dl fold 0 (8 epochs).',
    );
    expect(md).not.toMatch(/^.*Atlas.*†/m);
    expect(notConvergedRuns(capped)).toEqual([
      { series: 'exp1/unet3d/rpdl', folds: [{ fold: 0, epochs: 8 }] },
      { series: 'exp2/unet3d/dl', folds: [{ fold: 0, epochs: 8 }] },
    ]);
    expect(renderMarkdown(report)).not.toContain('†');
    const json = JSON.parse(renderJson(capped));
    expect(json.experiments[0].entries[1].folds[0]).toMatchObject({
      fold: 0,
      stopReason: 'max-epochs',
      epochs: 8,
    });
  });

  it('puts the verdicts with their rule after the tables, in Markdown and JSON', () => {
    const dice = [0.5, 0.55, 0.6, 0.52, 0.58, 0.61];
    const sixFolds = buildReport({
      layout: { bones: 6, surgeons: 3 },
      runs: dice.flatMap((d, fold): RunScores[] => [
        { experiment: 1, model: 'unet3d', loss: 'dl', fold, comparisons: comparisons(d) },
        { experiment: 1, model: 'unet3d', loss: 'rpdl', fold, comparisons: comparisons(d + 0.05) },
      ]),
      baselines: [],
    });
    const md = renderMarkdown(sixFolds);
    const verdicts = md.indexOf("### Verdicts — the paper's claims on these runs");
    expect(verdicts).toBeGreaterThan(md.indexOf('### Table III'));
    // Six differences of +0.05: Δ = 0.05, every bootstrap mean 0.05, exact p = 2/64 = 0.03125.
    expect(md).toContain(
      '| 1 | U-net RPDL > U-net DL | 6 | +0.050 | [+0.050, +0.050] | 0.031 | holds |',
    );
    expect(md).toMatch(/Rule: Each claim pairs the per-fold mean Dice/);
    expect(renderMarkdown(sixFolds, { only: 'overall' })).toContain('| holds |');
    const json = JSON.parse(renderJson(sixFolds));
    expect(json.experiments[0].verdicts[0]).toMatchObject({
      kind: 'greater',
      a: { kind: 'network', model: 'unet3d', loss: 'rpdl' },
      b: { kind: 'network', model: 'unet3d', loss: 'dl' },
      n: 6,
      wilcoxon: { p: 0.03125, method: 'exact' },
      ci: { resamples: 10000, seed: 2020, confidence: 0.95 },
      verdict: 'holds',
    });
  });

  it('groups the not-converged runs by series, with epochs per fold when they differ', () => {
    const run = (fold: number, loss: 'dl' | 'rpdl', epochs: number | undefined): RunScores => ({
      experiment: 1,
      model: 'unet3d',
      loss,
      fold,
      comparisons: comparisons(0.5),
      stopReason: 'max-epochs',
      ...(epochs === undefined ? {} : { epochs }),
    });
    const capped = buildReport({
      layout: { bones: 4, surgeons: 3 },
      runs: [
        run(0, 'dl', 40),
        run(2, 'dl', 40),
        run(1, 'rpdl', 40),
        run(3, 'rpdl', 1),
        run(0, 'rpdl', undefined),
      ],
      baselines: [],
    });
    expect(notConvergedNote(capped)).toBe(
      '† Not converged: 5 run(s) ended at the epoch cap instead of by early stopping: exp1/unet3d/dl folds 0, 2 (40 epochs); exp1/unet3d/rpdl folds 0, 1 (40 epochs), 3 (1 epoch).',
    );
  });
});
