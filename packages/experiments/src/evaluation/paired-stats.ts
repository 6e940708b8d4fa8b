import { SeededRandom } from '@rpdl/random';

/** Resamples the report's bootstrap draws: fixed, so a report is reproducible byte for byte. */
export const BOOTSTRAP_RESAMPLES = 10_000;
/** The seed of every bootstrap in the report (stated in the report's rule). */
export const BOOTSTRAP_SEED = 2020;

function assertFinite(values: readonly number[], what: string): void {
  if (values.length === 0) throw new RangeError(`${what}: need at least one value, got none`);
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new RangeError(`${what}: value ${i} must be finite, got ${v}`);
  });
}

/**
 * Element-wise differences a[i] − b[i] of two paired samples (e.g. per-fold Dice of two losses).
 *
 * @example
 * pairedDifferences([0.7, 0.6], [0.5, 0.65]); // [0.2, -0.05] (up to rounding)
 */
export function pairedDifferences(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length)
    throw new RangeError(
      `pairedDifferences: samples must pair up, got ${a.length} and ${b.length} values`,
    );
  assertFinite(a, 'pairedDifferences (first sample)');
  assertFinite(b, 'pairedDifferences (second sample)');
  return a.map((x, i) => x - b[i]!);
}

/**
 * Arithmetic mean (of paired differences: the mean paired difference).
 *
 * @example
 * mean([0.2, -0.05]); // 0.075
 */
export function mean(values: readonly number[]): number {
  assertFinite(values, 'mean');
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/**
 * The p-quantile of sorted values by linear interpolation between order statistics at position
 * (n − 1)·p (Hyndman & Fan type 7, NumPy's default).
 *
 * @example
 * quantileSorted([1, 2, 3, 4], 0.5); // 2.5
 */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantileSorted: p must be in [0, 1], got ${p}`);
  assertFinite(sorted, 'quantileSorted');
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]! < sorted[i - 1]!)
      throw new RangeError(`quantileSorted: values must be sorted ascending (index ${i})`);
  }
  const position = (sorted.length - 1) * p;
  const lo = Math.floor(position);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (position - lo) * (sorted[hi]! - sorted[lo]!);
}

/** A percentile bootstrap confidence interval for a mean. */
export interface BootstrapInterval {
  low: number;
  high: number;
  confidence: number;
  resamples: number;
  seed: number;
}

/**
 * Percentile bootstrap confidence interval for the mean of `values` (e.g. per-fold paired
 * differences, so folds are what is resampled): `resamples` times, draw n values with replacement
 * (indices from `SeededRandom(seed)`), take their mean; the interval runs between the
 * (1 − confidence)/2 and (1 + confidence)/2 quantiles (type 7) of those means.
 *
 * @example
 * bootstrapMeanInterval([0.02, 0.05, -0.01, 0.04, 0.03]); // { low: 0.006, high: 0.042, … }
 */
export function bootstrapMeanInterval(
  values: readonly number[],
  options: { resamples?: number; seed?: number; confidence?: number } = {},
): BootstrapInterval {
  assertFinite(values, 'bootstrapMeanInterval');
  const resamples = options.resamples ?? BOOTSTRAP_RESAMPLES;
  const seed = options.seed ?? BOOTSTRAP_SEED;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(
      `bootstrapMeanInterval: resamples must be a positive integer, got ${resamples}`,
    );
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`bootstrapMeanInterval: confidence must be in (0, 1), got ${confidence}`);
  const random = new SeededRandom(seed);
  const n = values.length;
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let k = 0; k < n; k++) sum += values[Math.floor(random.next() * n)]!;
    means[r] = sum / n;
  }
  means.sort();
  const sorted = Array.from(means);
  return {
    low: quantileSorted(sorted, (1 - confidence) / 2),
    high: quantileSorted(sorted, (1 + confidence) / 2),
    confidence,
    resamples,
    seed,
  };
}
