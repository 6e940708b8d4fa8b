import type { ModelName } from '@rpdl/models-3d';
import type { StopReason } from '@rpdl/training';
import type { Comparison, ImageScore } from '../evaluation/evaluation.js';
import { type MeanStd, meanStd, type OverallSummary, overallOfFolds } from '../evaluation/stats.js';
import {
  EXPERIMENTS,
  type ExperimentId,
  foldCount,
  type GridLayout,
  LOSS_NAMES,
  type LossName,
  MODEL_ORDER,
} from '../grid/grid.js';
import { judgeExperiment, type Verdict } from './verdicts.js';
import { CM_WORDS, type Vocabulary } from './vocabulary.js';

/** The scores of one finished run, as the report reads them. */
export interface RunScores {
  experiment: ExperimentId;
  model: ModelName;
  loss: LossName;
  fold: number;
  comparisons: readonly Comparison[];
  /** Per-image multi-rater scores; absent for runs recorded before they existed. */
  images?: readonly ImageScore[];
  /** Why training ended; absent for runs recorded before it was (see `stopReasonOf`). */
  stopReason?: StopReason;
  /** Epochs trained. */
  epochs?: number;
}

/** A baseline's scores on one fold. */
export interface BaselineScores {
  experiment: ExperimentId;
  name: BaselineName;
  fold: number;
  comparisons: readonly Comparison[];
  /** Per-image multi-rater scores; absent in baselines written before they existed. */
  images?: readonly ImageScore[];
}

/** `atlas`: the training surgeons' mean mask, thresholded; `surgeon`: the held-out surgeon (Exp. 2). */
export type BaselineName = 'atlas' | 'surgeon';

/** One row of a per-fold table. */
export interface FoldScores {
  fold: number;
  dice: MeanStd;
  rpd: MeanStd;
  comparisons: number;
  /** Networks only, when recorded: why training ended. */
  stopReason?: StopReason;
  /** Networks only, when recorded: epochs trained. */
  epochs?: number;
  /** Over the fold's images, when recorded: threshold-averaged Dice, GED and ECE. */
  thresholdDice?: MeanStd;
  ged?: MeanStd;
  ece?: MeanStd;
  /** How many images the three scores above average over. */
  images?: number;
}

/** The per-image metrics, in table order, and their names in the tables and the CSV. */
export const IMAGE_METRICS = Object.freeze([
  { key: 'thresholdDice', label: 'TA-Dice', csv: 'threshold_dice' },
  { key: 'ged', label: 'GED', csv: 'ged' },
  { key: 'ece', label: 'ECE', csv: 'ece' },
] as const);
/** One of the per-image metrics' keys. */
export type ImageMetric = (typeof IMAGE_METRICS)[number]['key'];

/** A model × loss (or baseline) summarised over its folds. */
export interface SeriesSummary {
  folds: FoldScores[];
  dice: OverallSummary;
  rpd: OverallSummary;
  /** Folds the experiment has; fewer in `folds` means the series is incomplete. */
  expectedFolds: number;
  /** Present when every fold recorded per-image scores (see {@link IMAGE_METRICS}). */
  thresholdDice?: OverallSummary;
  ged?: OverallSummary;
  ece?: OverallSummary;
}

/** Everything the tables show for one experiment. */
export interface ExperimentReport {
  experiment: ExperimentId;
  entries: Array<{ model: ModelName; loss: LossName } & SeriesSummary>;
  baselines: Array<{ name: BaselineName } & SeriesSummary>;
  /** The paper's claims these runs speak to, each with its statistics and verdict. */
  verdicts: Verdict[];
}

/** The whole report: one section per experiment with at least one finished run or baseline. */
export interface Report {
  layout: GridLayout;
  /** What the folds hold out, in words (bones and surgeons, or cases and annotators). */
  words: Vocabulary;
  experiments: ExperimentReport[];
}

function summarise(
  perFold: ReadonlyArray<{
    fold: number;
    comparisons: readonly Comparison[];
    images?: readonly ImageScore[];
    stopReason?: StopReason;
    epochs?: number;
  }>,
  expectedFolds: number,
): SeriesSummary {
  const sorted = [...perFold].sort((a, b) => a.fold - b.fold);
  const seen = new Set<number>();
  for (const { fold } of sorted) {
    if (seen.has(fold)) throw new RangeError(`fold ${fold} appears twice in one series`);
    seen.add(fold);
  }
  const folds = sorted.map(({ fold, comparisons, images, stopReason, epochs }): FoldScores => {
    if (comparisons.length === 0) throw new RangeError(`fold ${fold} has no comparisons`);
    if (images !== undefined && images.length === 0) {
      throw new RangeError(`fold ${fold} has an empty list of image scores`);
    }
    const scores: FoldScores = {
      fold,
      dice: meanStd(comparisons.map((c) => c.dice)),
      rpd: meanStd(comparisons.map((c) => c.rpd)),
      comparisons: comparisons.length,
      ...(stopReason === undefined ? {} : { stopReason }),
      ...(epochs === undefined ? {} : { epochs }),
    };
    if (images !== undefined) {
      for (const { key } of IMAGE_METRICS) scores[key] = meanStd(images.map((s) => s[key]));
      scores.images = images.length;
    }
    return scores;
  });
  const summary: SeriesSummary = {
    folds,
    dice: overallOfFolds(sorted.map((f) => f.comparisons.map((c) => c.dice))),
    rpd: overallOfFolds(sorted.map((f) => f.comparisons.map((c) => c.rpd))),
    expectedFolds,
  };
  // Overall image scores only when every fold has them: a mix would average different folds.
  if (sorted.every((f) => f.images !== undefined)) {
    for (const { key } of IMAGE_METRICS) {
      summary[key] = overallOfFolds(sorted.map((f) => f.images!.map((s) => s[key])));
    }
  }
  return summary;
}

/**
 * Groups finished runs and baselines into the paper's tables: per fold mean ± std, and "Overall"
 * = mean of fold means ± mean of fold stds (plus the pooled std), and judges the paper's claims
 * (see {@link judgeExperiment}). Runs from any number of shards
 * can be passed together; the result depends only on the set of runs, not their order.
 *
 * @example
 * const report = buildReport({ layout: { bones: 9, surgeons: 7 }, runs, baselines });
 * report.experiments[0]?.entries[0]?.dice.mean;
 */
export function buildReport(input: {
  layout: GridLayout;
  runs: readonly RunScores[];
  baselines: readonly BaselineScores[];
  /** Default: the CM study's bones and surgeons. */
  words?: Vocabulary;
}): Report {
  const experiments: ExperimentReport[] = [];
  for (const experiment of EXPERIMENTS) {
    const expected = foldCount(experiment, input.layout);
    const runs = input.runs.filter((r) => r.experiment === experiment);
    const baselines = input.baselines.filter((b) => b.experiment === experiment);
    if (runs.length === 0 && baselines.length === 0) continue;
    const entries: ExperimentReport['entries'] = [];
    for (const model of MODEL_ORDER) {
      for (const loss of LOSS_NAMES) {
        const series = runs.filter((r) => r.model === model && r.loss === loss);
        if (series.length > 0) entries.push({ model, loss, ...summarise(series, expected) });
      }
    }
    const baselineRows: ExperimentReport['baselines'] = [];
    for (const name of ['atlas', 'surgeon'] as const) {
      const series = baselines.filter((b) => b.name === name);
      if (series.length > 0) baselineRows.push({ name, ...summarise(series, expected) });
    }
    const section = { experiment, entries, baselines: baselineRows };
    experiments.push({ ...section, verdicts: judgeExperiment(section) });
  }
  return { layout: { ...input.layout }, words: { ...(input.words ?? CM_WORDS) }, experiments };
}
