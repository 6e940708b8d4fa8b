import type { ModelName } from '@rpdl/models-3d';
import type { LossName } from '../grid/grid.js';
import type { BaselineName, ExperimentReport, Report, SeriesSummary } from './report-data.js';

/** The paper's names for the models. */
export const MODEL_LABELS: Readonly<Record<ModelName, string>> = Object.freeze({
  unet3d: 'U-net',
  vnet3d: 'V-net',
  isensee2017: 'Isensee17',
  myronenko2018: 'Myronenko18',
});
/** The paper's names for the losses. */
export const LOSS_LABELS: Readonly<Record<LossName, string>> = Object.freeze({
  wcel: 'WCEL',
  dl: 'DL',
  rpdl: 'RPDL',
});
const BASELINE_LABELS: Readonly<Record<BaselineName, string>> = Object.freeze({
  atlas: 'Atlas (training mean ≥ 0.5)',
  surgeon: 'Surgeons (held-out)',
});

const f3 = (v: number) => v.toFixed(3);

function cell(s: SeriesSummary, metric: 'dice' | 'rpd', pooled: boolean): string {
  const o = s[metric];
  let text = `${f3(o.mean)} ± ${f3(o.std)}`;
  if (pooled) text += ` [${f3(o.pooledStd)}]`;
  if (s.folds.length < s.expectedFolds) text += ` (${s.folds.length}/${s.expectedFolds} folds)`;
  return text;
}

function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function foldLabel(experiment: 1 | 2, fold: number): string {
  return experiment === 1 ? `Bone${fold + 1}` : `Surgeon${fold + 1}`;
}

function perFoldTable(
  section: ExperimentReport,
  models: readonly ModelName[],
  layoutFolds: number,
): string | undefined {
  const columns = section.entries.filter((e) => models.includes(e.model));
  if (columns.length === 0) return undefined;
  const atlas = section.baselines.find((b) => b.name === 'atlas');
  const series: Array<{ label: string; summary: SeriesSummary }> = columns.map((e) => ({
    label: `${MODEL_LABELS[e.model]} ${LOSS_LABELS[e.loss]}`,
    summary: e,
  }));
  if (atlas) series.push({ label: 'Atlas', summary: atlas });
  const folds = [...Array(layoutFolds).keys()].filter((f) =>
    series.some((s) => s.summary.folds.some((x) => x.fold === f)),
  );
  const rows = folds.map((fold) => [
    foldLabel(section.experiment, fold),
    ...series.map(({ summary }) => {
      const row = summary.folds.find((x) => x.fold === fold);
      return row ? `${f3(row.dice.mean)} ± ${f3(row.dice.std)}` : '—';
    }),
  ]);
  rows.push(['**Overall**', ...series.map(({ summary }) => cell(summary, 'dice', false))]);
  return markdownTable(['', ...series.map((s) => s.label)], rows);
}

function overallTable(section: ExperimentReport): string {
  const losses = (['wcel', 'dl', 'rpdl'] as const).filter((l) =>
    section.entries.some((e) => e.loss === l),
  );
  const models = [...new Set(section.entries.map((e) => e.model))];
  const rows: string[][] = [];
  for (const metric of ['dice', 'rpd'] as const) {
    const name = metric === 'dice' ? 'Dice' : 'RPD';
    for (const model of models) {
      rows.push([
        name,
        MODEL_LABELS[model],
        ...losses.map((loss) => {
          const entry = section.entries.find((e) => e.model === model && e.loss === loss);
          return entry ? cell(entry, metric, true) : '—';
        }),
      ]);
    }
    for (const baseline of section.baselines) {
      // A baseline does not depend on the training loss: one value, shown under every loss.
      rows.push([
        name,
        BASELINE_LABELS[baseline.name],
        ...losses.map(() => cell(baseline, metric, true)),
      ]);
    }
  }
  return markdownTable(['', 'Model', ...losses.map((l) => LOSS_LABELS[l])], rows);
}

/**
 * The report as Markdown: Tables I and II (Experiment 1 per fold, Dice), III (Experiment 1
 * overall, Dice and RPD) and IV (Experiment 2 overall, with the surgeon baseline). Tables without
 * data are left out. `only` restricts the output to the overall tables (III, IV).
 *
 * @example
 * process.stdout.write(renderMarkdown(report));
 */
export function renderMarkdown(report: Report, options: { only?: 'overall' } = {}): string {
  const parts: string[] = [];
  const exp1 = report.experiments.find((e) => e.experiment === 1);
  const exp2 = report.experiments.find((e) => e.experiment === 2);
  if (exp1 && options.only !== 'overall') {
    const t1 = perFoldTable(exp1, ['unet3d', 'vnet3d'], report.layout.bones);
    if (t1)
      parts.push(`### Table I — Experiment 1 (leave one bone out), per fold, Dice ± std\n\n${t1}`);
    const t2 = perFoldTable(exp1, ['isensee2017', 'myronenko2018'], report.layout.bones);
    if (t2)
      parts.push(`### Table II — Experiment 1 (leave one bone out), per fold, Dice ± std\n\n${t2}`);
  }
  if (exp1) {
    parts.push(
      `### Table III — Experiment 1 (leave one bone out), overall: mean of fold means ± mean of fold stds [pooled std]\n\n${overallTable(exp1)}`,
    );
  }
  if (exp2) {
    parts.push(
      `### Table IV — Experiment 2 (leave one surgeon out), overall: mean of fold means ± mean of fold stds [pooled std]\n\n${overallTable(exp2)}`,
    );
  }
  if (parts.length === 0) return 'No finished runs yet.\n';
  return `${parts.join('\n\n')}\n`;
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The report as CSV, one row per (experiment, series, fold or overall, metric): columns
 * `experiment,model,loss,baseline,fold,metric,mean,std,pooled_std,comparisons`. Fold is `overall`
 * on the summary rows, where std is the mean of the fold stds.
 *
 * @example
 * await writeFile('report.csv', renderCsv(report));
 */
export function renderCsv(report: Report): string {
  const lines = ['experiment,model,loss,baseline,fold,metric,mean,std,pooled_std,comparisons'];
  const emit = (
    experiment: number,
    model: string,
    loss: string,
    baseline: string,
    s: SeriesSummary,
  ) => {
    for (const metric of ['dice', 'rpd'] as const) {
      for (const f of s.folds) {
        lines.push(
          [
            experiment,
            model,
            loss,
            baseline,
            f.fold,
            metric,
            f[metric].mean,
            f[metric].std,
            '',
            f.comparisons,
          ]
            .map(csvField)
            .join(','),
        );
      }
      const o = s[metric];
      lines.push(
        [experiment, model, loss, baseline, 'overall', metric, o.mean, o.std, o.pooledStd, o.count]
          .map(csvField)
          .join(','),
      );
    }
  };
  for (const section of report.experiments) {
    for (const e of section.entries) emit(section.experiment, e.model, e.loss, '', e);
    for (const b of section.baselines) emit(section.experiment, '', '', b.name, b);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The report as JSON (the {@link Report} object, stable key order).
 *
 * @example
 * JSON.parse(renderJson(report)).experiments[0].entries[0].dice.mean;
 */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
