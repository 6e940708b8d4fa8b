import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '@rpdl/atomic-fs';
import { formatLog } from '@rpdl/training';
import { afterAll, describe, expect, it } from 'vitest';
import { RUN_FILES, runDirectory } from '../runs/run-dir.js';
import { learningCurveCharts } from './curves.js';
import { buildReport, type RunScores } from './report-data.js';

describe('learning-curve charts', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('draws one chart per series with a line per fold, capped folds marked, integer ticks', async () => {
    const out = await mkdtemp(join(tmpdir(), 'rpdl-curves-'));
    dirs.push(out);
    const run = (fold: number, stopReason: 'early-stopping' | 'max-epochs'): RunScores => ({
      experiment: 1,
      model: 'unet3d',
      loss: 'dl',
      fold,
      comparisons: [{ bone: fold, surgeon: 0, dice: 0.5, rpd: 0.6 }],
      stopReason,
      epochs: 3,
    });
    const report = buildReport({
      layout: { bones: 3, surgeons: 2 },
      runs: [run(0, 'early-stopping'), run(1, 'max-epochs'), run(2, 'early-stopping')],
      baselines: [],
    });
    const history = [1, 2, 3].map((epoch) => ({
      epoch,
      loss: 1 / epoch,
      valLoss: 1.5 / epoch,
      lr: 1e-4,
      time: 1,
    }));
    // Folds 0 and 1 have a log; fold 2's is missing and is left out.
    for (const fold of [0, 1]) {
      const dir = runDirectory(out, { experiment: 1, model: 'unet3d', loss: 'dl', fold });
      await writeFileAtomic(join(dir, RUN_FILES.log), formatLog(history));
    }
    const charts = await learningCurveCharts(out, report);
    expect(charts.map((c) => c.title)).toEqual([
      'Experiment 1 — U-net DL: validation loss per fold',
    ]);
    const svg = charts[0]!.svg;
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain('>Bone1</text>');
    expect(svg).toContain('>Bone2 †</text>');
    expect(svg).not.toContain('Bone3');
    const ticks = [...svg.matchAll(/text-anchor="middle">(\d+(?:\.\d+)?)<\/text>/g)].map(
      (m) => m[1],
    );
    expect(ticks).toEqual(['1', '2', '3']);
  });
});
