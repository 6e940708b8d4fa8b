import type { ModelName } from '@rpdl/models-3d';
import { LOSS_NAMES } from '../grid/grid.js';
import { LOSS_LABELS, MODEL_LABELS } from './labels.js';
import {
  type BaselineName,
  type ExperimentReport,
  type FoldScores,
  IMAGE_METRICS,
  type ImageMetric,
  type Report,
  type SeriesSummary,
} from './report-data.js';
import { describeClaim, VERDICT_RULE } from './verdicts.js';
import { CM_WORDS, capitalized, type Vocabulary } from './vocabulary.js';

export { LOSS_LABELS, MODEL_LABELS };

function baselineLabel(name: BaselineName, words: Vocabulary): string {
  return name === 'atlas'
    ? 'Atlas (training mean ≥ 0.5)'
    : `${capitalized(words.rater)}s (held-out)`;
}

const f3 = (v: number) => v.toFixed(3);

/** Marks a table cell whose run (or any of whose runs) hit the epoch cap. */
export const NOT_CONVERGED_MARK = '†';

const hitCap = (f: FoldScores) => f.stopReason === 'max-epochs';

function cell(s: SeriesSummary, metric: 'dice' | 'rpd' | ImageMetric, pooled: boolean): string {
  const o = s[metric];
  if (o === undefined) return '—';
  let text = `${f3(o.mean)} ± ${f3(o.std)}`;
  if (pooled) text += ` [${f3(o.pooledStd)}]`;
  if (s.folds.length < s.expectedFolds) text += ` (${s.folds.length}/${s.expectedFolds} folds)`;
  if (s.folds.some(hitCap)) text += ` ${NOT_CONVERGED_MARK}`;
  return text;
}

/** A table of the report, independent of the output format. */
export interface ReportTable {
  title: string;
  header: string[];
  rows: string[][];
  /** Index of the row that summarises the others (the "Overall" row), shown in bold. */
  totalRow?: number;
}

function markdownTable(table: ReportTable): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const rows = table.rows.map((cells, i) =>
    i === table.totalRow ? [`**${cells[0]}**`, ...cells.slice(1)] : cells,
  );
  return [
    `### ${table.title}`,
    '',
    line(table.header),
    line(table.header.map(() => '---')),
    ...rows.map(line),
  ].join('\n');
}

/**
 * A fold's name in the tables: the held-out bone (Experiment 1) or surgeon (Experiment 2), or
 * case and annotator with {@link CASE_WORDS}.
 *
 * @example
 * foldLabel(2, 0); // 'Surgeon1'
 * foldLabel(1, 4, CASE_WORDS); // 'Case5'
 */
export function foldLabel(experiment: 1 | 2, fold: number, words: Vocabulary = CM_WORDS): string {
  return `${capitalized(experiment === 1 ? words.image : words.rater)}${fold + 1}`;
}

function perFoldTable(
  title: string,
  section: ExperimentReport,
  models: readonly ModelName[],
  layoutFolds: number,
  words: Vocabulary,
): ReportTable | undefined {
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
    foldLabel(section.experiment, fold, words),
    ...series.map(({ summary }) => {
      const row = summary.folds.find((x) => x.fold === fold);
      if (!row) return '—';
      const text = `${f3(row.dice.mean)} ± ${f3(row.dice.std)}`;
      return hitCap(row) ? `${text} ${NOT_CONVERGED_MARK}` : text;
    }),
  ]);
  rows.push(['Overall', ...series.map(({ summary }) => cell(summary, 'dice', false))]);
  return { title, header: ['', ...series.map((s) => s.label)], rows, totalRow: rows.length - 1 };
}

function overallTable(title: string, section: ExperimentReport, words: Vocabulary): ReportTable {
  const losses = LOSS_NAMES.filter((l) => section.entries.some((e) => e.loss === l));
  const models = [...new Set(section.entries.map((e) => e.model))];
  const rows: string[][] = [];
  // The multi-rater rows appear once any network series has them (runs recorded before they
  // existed keep the Dice/RPD table unchanged).
  const imageMetrics = IMAGE_METRICS.filter(({ key }) =>
    section.entries.some((e) => e[key] !== undefined),
  );
  const metrics = [
    { key: 'dice' as const, label: 'Dice' },
    { key: 'rpd' as const, label: 'RPD' },
    ...imageMetrics,
  ];
  for (const { key: metric, label: name } of metrics) {
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
        baselineLabel(baseline.name, words),
        ...losses.map(() => cell(baseline, metric, true)),
      ]);
    }
  }
  return { title, header: ['', 'Model', ...losses.map((l) => LOSS_LABELS[l])], rows };
}

/**
 * The report's tables, format-free: Tables I and II (Experiment 1 per fold, Dice), III
 * (Experiment 1 overall, Dice and RPD) and IV (Experiment 2 overall, with the surgeon baseline).
 * Tables without data are left out; `only: 'overall'` keeps III and IV.
 *
 * @example
 * reportTables(report).map((t) => t.title);
 */
export function reportTables(report: Report, options: { only?: 'overall' } = {}): ReportTable[] {
  const tables: ReportTable[] = [];
  const exp1 = report.experiments.find((e) => e.experiment === 1);
  const exp2 = report.experiments.find((e) => e.experiment === 2);
  const overall = 'overall: mean of fold means ± mean of fold stds [pooled std]';
  const { words } = report;
  const exp1Title = `Experiment 1 (leave one ${words.image} out)`;
  const exp2Title = `Experiment 2 (leave one ${words.rater} out)`;
  if (exp1 && options.only !== 'overall') {
    const perFold = `${exp1Title}, per fold, Dice ± std`;
    const perFoldTables = [
      ['Table I', ['unet3d', 'vnet3d']],
      ['Table II', ['isensee2017', 'myronenko2018']],
    ] as const;
    for (const [name, models] of perFoldTables) {
      const table = perFoldTable(`${name} — ${perFold}`, exp1, models, report.layout.bones, words);
      if (table) tables.push(table);
    }
  }
  if (exp1) tables.push(overallTable(`Table III — ${exp1Title}, ${overall}`, exp1, words));
  if (exp2) tables.push(overallTable(`Table IV — ${exp2Title}, ${overall}`, exp2, words));
  if (options.only !== 'overall') {
    const perRun = perRunTable(report);
    if (perRun) tables.push(perRun);
  }
  return tables;
}

/**
 * One row per run (a series' fold) that recorded the per-image scores: Dice and RPD (mean over
 * its comparisons) beside threshold-averaged Dice, GED and ECE (mean over its images).
 */
function perRunTable(report: Report): ReportTable | undefined {
  const rows: string[][] = [];
  for (const section of report.experiments) {
    for (const e of section.entries) {
      for (const f of e.folds) {
        if (f.thresholdDice === undefined) continue;
        rows.push([
          String(section.experiment),
          MODEL_LABELS[e.model],
          LOSS_LABELS[e.loss],
          foldLabel(section.experiment, f.fold, report.words),
          ...[f.dice, f.rpd, ...IMAGE_METRICS.map(({ key }) => f[key]!)].map(
            (m) => `${f3(m.mean)} ± ${f3(m.std)}`,
          ),
        ]);
      }
    }
  }
  if (rows.length === 0) return undefined;
  return {
    title:
      'Multi-rater scores per run — against the fold’s reference annotators (mean ± std over comparisons or images)',
    header: ['Exp.', 'Model', 'Loss', 'Fold', 'Dice', 'RPD', ...IMAGE_METRICS.map((m) => m.label)],
    rows,
  };
}

/**
 * Every run whose training hit the epoch cap (`stopReason` `max-epochs`), grouped by series in
 * report order: the series id, its capped folds and the epochs they trained.
 *
 * @example
 * notConvergedRuns(report); // [{ series: 'exp1/unet3d/dl', folds: [{ fold: 0, epochs: 8 }] }]
 */
export function notConvergedRuns(
  report: Report,
): Array<{ series: string; folds: Array<{ fold: number; epochs?: number }> }> {
  const found: Array<{ series: string; folds: Array<{ fold: number; epochs?: number }> }> = [];
  for (const section of report.experiments) {
    for (const e of section.entries) {
      const folds = e.folds
        .filter(hitCap)
        .map((f) =>
          f.epochs === undefined ? { fold: f.fold } : { fold: f.fold, epochs: f.epochs },
        );
      if (folds.length > 0)
        found.push({ series: `exp${section.experiment}/${e.model}/${e.loss}`, folds });
    }
  }
  return found;
}

const epochsText = (n: number) => `${n} epoch${n === 1 ? '' : 's'}`;

/**
 * The sentence under the tables explaining {@link NOT_CONVERGED_MARK}, one clause per series
 * (e.g. `exp1/unet3d/dl fold 0, 3 (8 epochs)`); undefined when no run hit the cap.
 *
 * @example
 * notConvergedNote(report); // '† Not converged: 2 run(s) ended at the epoch cap …'
 */
export function notConvergedNote(report: Report): string | undefined {
  const groups = notConvergedRuns(report);
  if (groups.length === 0) return undefined;
  const count = groups.reduce((n, g) => n + g.folds.length, 0);
  const clauses = groups.map(({ series, folds }) => {
    const epochs = new Set(folds.map((f) => f.epochs));
    const label = folds.length === 1 ? 'fold' : 'folds';
    if (epochs.size === 1) {
      const [only] = epochs;
      const suffix = only === undefined ? '' : ` (${epochsText(only)})`;
      return `${series} ${label} ${folds.map((f) => f.fold).join(', ')}${suffix}`;
    }
    const list = folds.map((f) =>
      f.epochs === undefined ? String(f.fold) : `${f.fold} (${epochsText(f.epochs)})`,
    );
    return `${series} ${label} ${list.join(', ')}`;
  });
  return `${NOT_CONVERGED_MARK} Not converged: ${count} run(s) ended at the epoch cap instead of by early stopping: ${clauses.join('; ')}.`;
}

const signed = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)}`;

/**
 * A p-value for a table: three decimals, or two significant digits in scientific notation below
 * 0.001.
 *
 * @example
 * formatP(0.0625); // '0.063'
 * formatP(5.96e-8); // '6.0e-8'
 */
export function formatP(p: number): string {
  return p >= 0.001 ? p.toFixed(3) : p.toExponential(1);
}

/**
 * The verdicts of both experiments as one table: experiment, claim, paired folds, mean paired
 * Dice difference, its 95 % bootstrap CI, the Wilcoxon p-value, the verdict.
 *
 * @example
 * verdictTable(report)?.rows[0]; // ['1', 'U-net RPDL > U-net DL', '9', '+0.012', '[+0.003, +0.021]', '0.039', 'holds']
 */
export function verdictTable(report: Report): ReportTable | undefined {
  const rows = report.experiments.flatMap((section) =>
    section.verdicts.map((v) => [
      String(section.experiment),
      describeClaim(v, report.words),
      String(v.n),
      signed(v.meanDifference),
      `[${signed(v.ci.low)}, ${signed(v.ci.high)}]`,
      formatP(v.wilcoxon.p),
      v.verdict,
    ]),
  );
  if (rows.length === 0) return undefined;
  return {
    title: "Verdicts — the paper's claims on these runs",
    header: [
      'Exp.',
      'Claim',
      'n folds',
      'Δ Dice (mean paired)',
      '95% bootstrap CI',
      'Wilcoxon p',
      'Verdict',
    ],
    rows,
  };
}

/** What the multi-rater rows measure, printed under the tables that show them. */
export const IMAGE_METRICS_NOTE =
  'TA-Dice: Dice of (P ≥ t) against (mean annotation ≥ t), averaged over t = 0.1, 0.2, …, 0.9; ' +
  'GED: squared generalised energy distance (d = 1 − IoU) between one sample, the prediction ' +
  '≥ 0.5, and the annotations (lower is better); ECE: expected calibration error of P against ' +
  'the mean annotation, 10 equal-width bins (lower is better). All per image, against the same ' +
  'reference annotators as Dice and RPD.';

function hasImageScores(report: Report): boolean {
  return report.experiments.some((s) => s.entries.some((e) => e.thresholdDice !== undefined));
}

/**
 * The report as Markdown: the tables of {@link reportTables}, the not-converged note, then the
 * verdicts with their rule ({@link VERDICT_RULE}). `only: 'overall'` keeps Tables III and IV (with
 * the note and the verdicts), as printed at the end of a reproduction.
 *
 * @example
 * process.stdout.write(renderMarkdown(report));
 */
export function renderMarkdown(report: Report, options: { only?: 'overall' } = {}): string {
  const tables = reportTables(report, options);
  if (tables.length === 0) return 'No finished runs yet.\n';
  const parts = tables.map(markdownTable);
  if (hasImageScores(report)) parts.push(IMAGE_METRICS_NOTE);
  const note = notConvergedNote(report);
  if (note) parts.push(note);
  const verdicts = verdictTable(report);
  if (verdicts) parts.push(`${markdownTable(verdicts)}\n\nRule: ${VERDICT_RULE}`);
  return `${parts.join('\n\n')}\n`;
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The report as CSV, one row per (experiment, series, fold or overall, metric): columns
 * `experiment,model,loss,baseline,fold,metric,mean,std,pooled_std,comparisons`. Fold is `overall`
 * on the summary rows, where std is the mean of the fold stds. Metrics: `dice`, `rpd`, and where
 * recorded the per-image `threshold_dice`, `ged`, `ece` (for those, `comparisons` counts images).
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
    const imageMetrics = IMAGE_METRICS.filter(({ key }) => s[key] !== undefined);
    for (const { key: metric, csv } of [
      { key: 'dice' as const, csv: 'dice' },
      { key: 'rpd' as const, csv: 'rpd' },
      ...imageMetrics,
    ]) {
      for (const f of s.folds) {
        const m = f[metric]!;
        lines.push(
          [
            experiment,
            model,
            loss,
            baseline,
            f.fold,
            csv,
            m.mean,
            m.std,
            '',
            metric === 'dice' || metric === 'rpd' ? f.comparisons : (f.images ?? ''),
          ]
            .map(csvField)
            .join(','),
        );
      }
      const o = s[metric]!;
      lines.push(
        [experiment, model, loss, baseline, 'overall', csv, o.mean, o.std, o.pooledStd, o.count]
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
