import { type MeanStd, meanStd } from '@rpdl/losses/metrics';

// The one mean ± population std of the project (the tables' statistic), re-exported here.
export { type MeanStd, meanStd };

/** A table cell of the paper's "Overall" row. */
export interface OverallSummary {
  /** Mean of the fold means (the paper's "Overall" value). */
  mean: number;
  /** Mean of the fold standard deviations (the paper's "± std" of the "Overall" row). */
  std: number;
  /** Standard deviation of every comparison pooled across folds. */
  pooledStd: number;
  folds: number;
  /** Comparisons pooled. */
  count: number;
}

function assertValues(values: readonly number[], what: string): void {
  if (values.length === 0) throw new RangeError(`${what}: need at least one value`);
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`${what}: values must be finite, got ${v}`);
  }
}

/**
 * The "Overall" row of the paper's tables from per-fold values: mean of the fold means ± mean of
 * the fold standard deviations, plus the pooled standard deviation of all values together.
 *
 * @example
 * overallOfFolds([[0.5, 0.7], [0.6, 0.6]]); // { mean: 0.6, std: 0.05, pooledStd: 0.0707…, folds: 2, count: 4 }
 */
export function overallOfFolds(folds: readonly (readonly number[])[]): OverallSummary {
  if (folds.length === 0) throw new RangeError('overallOfFolds: need at least one fold');
  const perFold = folds.map((values, i) => {
    assertValues(values, `fold ${i}`);
    return meanStd(values);
  });
  return {
    ...overallOfSummaries(perFold),
    pooledStd: meanStd(folds.flat()).std,
    count: folds.reduce((n, f) => n + f.length, 0),
  };
}

/**
 * The "Overall" value from fold summaries alone (as when checking a published table): mean of the
 * means ± mean of the standard deviations.
 *
 * @example
 * overallOfSummaries([{ mean: 0.5, std: 0.1 }, { mean: 0.7, std: 0.2 }]); // { mean: 0.6, std: 0.15, folds: 2 }
 */
export function overallOfSummaries(folds: readonly MeanStd[]): {
  mean: number;
  std: number;
  folds: number;
} {
  if (folds.length === 0) throw new RangeError('overallOfSummaries: need at least one fold');
  let mean = 0;
  let std = 0;
  for (const f of folds) {
    mean += f.mean;
    std += f.std;
  }
  return { mean: mean / folds.length, std: std / folds.length, folds: folds.length };
}
