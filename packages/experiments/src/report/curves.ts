import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseLog } from '@rpdl/training';
import { RUN_FILES, runDirectory } from '../runs/run-dir.js';
import { LOSS_LABELS, MODEL_LABELS } from './labels.js';
import type { Report } from './report-data.js';
import { foldLabel, NOT_CONVERGED_MARK } from './report-render.js';
import { lineChart, type Series } from './svg-plot.js';

/** A learning-curve chart of one series (experiment × model × loss). */
export interface CurveChart {
  title: string;
  svg: string;
}

/** Ten distinguishable line colours (one per fold). */
const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

/**
 * One chart per trained series of the report: the validation loss per epoch of each of its folds
 * (read from each run's `log.csv`), folds that hit the epoch cap marked with
 * {@link NOT_CONVERGED_MARK} in the legend. Integer epoch ticks. Runs without a log are left out.
 *
 * @example
 * const charts = await learningCurveCharts('runs/quick', report);
 */
export async function learningCurveCharts(out: string, report: Report): Promise<CurveChart[]> {
  const charts: CurveChart[] = [];
  for (const section of report.experiments) {
    for (const entry of section.entries) {
      const series: Series[] = [];
      for (const [i, fold] of entry.folds.entries()) {
        const run = { experiment: section.experiment, model: entry.model, loss: entry.loss };
        const file = join(runDirectory(out, { ...run, fold: fold.fold }), RUN_FILES.log);
        if (!existsSync(file)) continue;
        const history = parseLog(await readFile(file, 'utf8'));
        const capped = fold.stopReason === 'max-epochs' ? ` ${NOT_CONVERGED_MARK}` : '';
        series.push({
          label: `${foldLabel(section.experiment, fold.fold, report.words)}${capped}`,
          color: PALETTE[i % PALETTE.length]!,
          points: history.map((r) => [r.epoch, r.valLoss] as const),
        });
      }
      if (series.length === 0) continue;
      const title = `Experiment ${section.experiment} — ${MODEL_LABELS[entry.model]} ${LOSS_LABELS[entry.loss]}: validation loss per fold`;
      charts.push({
        title,
        svg: lineChart({
          title,
          xLabel: 'epoch',
          yLabel: 'validation loss',
          series,
          width: 560,
          height: 340,
          integerX: true,
          legendOutside: true,
        }),
      });
    }
  }
  return charts;
}
