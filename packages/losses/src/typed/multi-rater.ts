import {
  assertInRange,
  assertMasks,
  assertProbabilities,
  assertSameLength,
  maskMean,
  type Volume,
} from './arrays.js';

/** The QUBIQ thresholds 0.1, 0.2, …, 0.9 (as k/10, so that 3/10 equals a mean of 3 of 10). */
export const DEFAULT_THRESHOLDS: readonly number[] = Object.freeze(
  Array.from({ length: 9 }, (_, k) => (k + 1) / 10),
);

export interface ThresholdAveragedDiceOptions {
  /** The levels t; each a number in [0, 1]. Default 0.1, 0.2, …, 0.9. */
  thresholds?: readonly number[];
}

/**
 * Threshold-averaged Dice (the QUBIQ challenge metric) of a probabilistic prediction against the
 * K annotations of one image: at each threshold t the prediction (P ≥ t) and the mean annotation
 * (Ȳ ≥ t) are binarised and compared by Dice (1 when both are empty); the result is the mean
 * over the thresholds.
 *
 * @param probability the prediction, values in [0, 1].
 * @param masks the K binary annotations of the image, each as long as `probability`.
 * @throws RangeError on a probability outside [0, 1] (NaN included), an empty, unequal-length
 *   or non-binary mask list, or thresholds that are not a non-empty list of numbers in [0, 1].
 *
 * @example
 * // two annotators agree on voxel 0, one marks voxel 1: Ȳ = [1, 0.5, 0]
 * thresholdAveragedDice([0.9, 0.4, 0.05], [[1, 1, 0], [1, 0, 0]]);
 * // t ≤ 0.4: identical (Dice 1); t = 0.5: {0} vs {0, 1} → 2/3; t ≥ 0.6: identical → (8 + 2/3) / 9
 */
export function thresholdAveragedDice(
  probability: Volume,
  masks: readonly Volume[],
  options: ThresholdAveragedDiceOptions = {},
): number {
  const fn = 'thresholdAveragedDice';
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  if (!Array.isArray(thresholds) || thresholds.length === 0) {
    throw new RangeError(`${fn}: thresholds must be a non-empty list of numbers in [0, 1]`);
  }
  assertInRange(fn, 'thresholds', thresholds, 0, 1, 'a threshold');
  const n = assertSameLength(fn, { probability });
  assertProbabilities(fn, 'probability', probability);
  const length = assertMasks(fn, masks);
  if (length !== n) {
    throw new RangeError(
      `${fn}: probability has ${n} voxels and the masks ${length}; they must be equal`,
    );
  }
  const mean = maskMean(masks, n);
  let total = 0;
  for (const t of thresholds) {
    let overlap = 0;
    let size = 0;
    for (let i = 0; i < n; i++) {
      const predicted = probability[i]! >= t ? 1 : 0;
      const annotated = mean[i]! >= t ? 1 : 0;
      overlap += predicted & annotated;
      size += predicted + annotated;
    }
    total += size === 0 ? 1 : (2 * overlap) / size;
  }
  return total / thresholds.length;
}

/**
 * Squared generalised energy distance between the predicted and the annotated segmentations of
 * one image, `D²_GED = 2·E[d(S, Y)] − E[d(S, S′)] − E[d(Y, Y′)]` with d = 1 − IoU (0 when both
 * masks are empty) and every expectation the mean over all ordered pairs, i = j included.
 *
 * @param samples binary predictions of the image (one for a deterministic network).
 * @param masks the K binary annotations of the image, as long as the samples.
 * @throws RangeError on an empty, unequal-length or non-binary list of samples or masks.
 *
 * @example
 * // one sample equal to one of two annotations that do not overlap:
 * // E[d(S, Y)] = (0 + 1)/2, E[d(S, S′)] = 0, E[d(Y, Y′)] = (0 + 1 + 1 + 0)/4 → 2·½ − 0 − ½
 * generalizedEnergyDistance([[1, 0]], [[1, 0], [0, 1]]); // 0.5
 */
export function generalizedEnergyDistance(
  samples: readonly Volume[],
  masks: readonly Volume[],
): number {
  const fn = 'generalizedEnergyDistance';
  const n = assertMasks(fn, samples, 'samples');
  const length = assertMasks(fn, masks);
  if (length !== n) {
    throw new RangeError(`${fn}: samples have ${n} voxels and masks ${length}; they must be equal`);
  }
  return (
    2 * meanDistance(samples, masks, n) -
    meanDistance(samples, samples, n) -
    meanDistance(masks, masks, n)
  );
}

/** Mean of 1 − IoU over all ordered pairs (a, b). */
function meanDistance(as: readonly Volume[], bs: readonly Volume[], n: number): number {
  let total = 0;
  for (const a of as) {
    for (const b of bs) {
      let intersection = 0;
      let union = 0;
      for (let i = 0; i < n; i++) {
        intersection += a[i]! & b[i]!;
        union += a[i]! | b[i]!;
      }
      total += union === 0 ? 0 : 1 - intersection / union;
    }
  }
  return total / (as.length * bs.length);
}

export interface ExpectedCalibrationErrorOptions {
  /** Number of equal-width probability bins; a positive integer. Default 10. */
  bins?: number;
}

/**
 * Expected calibration error of a probabilistic prediction: with B equal-width bins
 * [0, 1/B), …, [(B−1)/B, 1] of the predicted probability (1 falls in the last),
 * `Σ_b (n_b / N)·|mean_b(P) − mean_b(target)|`.
 *
 * @param probability the prediction, values in [0, 1].
 * @param target what P should match on average: the mean annotation (values in [0, 1]) or a
 *   binary mask; as long as `probability`.
 * @throws RangeError on unequal or zero lengths, a probability or target value outside [0, 1]
 *   (NaN included) or a bin count that is not a positive integer.
 *
 * @example
 * // bin [0.8, 0.9): P = 0.8, 0.8, target 1, 0 → |0.8 − 0.5|; bin [0.1, 0.2): P = 0.1, target 0
 * expectedCalibrationError([0.8, 0.8, 0.1], [1, 0, 0]); // (2/3)·0.3 + (1/3)·0.1 = 0.2333…
 */
export function expectedCalibrationError(
  probability: Volume,
  target: Volume,
  options: ExpectedCalibrationErrorOptions = {},
): number {
  const fn = 'expectedCalibrationError';
  const bins = options.bins ?? 10;
  if (!Number.isSafeInteger(bins) || bins < 1) {
    throw new RangeError(`${fn}: bins must be a positive integer, got ${String(bins)}`);
  }
  const n = assertSameLength(fn, { probability, target });
  assertProbabilities(fn, 'probability', probability);
  assertInRange(fn, 'target', target, 0, 1, 'a mean annotation or binary mask value');
  // Σ over a bin of (P − target): n_b·|mean_b(P) − mean_b(target)| = |Σ_b (P − target)|
  const gap = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const p = probability[i]!;
    gap[binOf(p, bins)]! += p - target[i]!;
  }
  let total = 0;
  for (let b = 0; b < bins; b++) total += Math.abs(gap[b]!);
  return total / n;
}

/** The bin [b/B, (b+1)/B) holding p, boundaries compared as the doubles b/B; 1 in the last. */
function binOf(p: number, bins: number): number {
  let b = Math.min(Math.floor(p * bins), bins - 1);
  // p·B can round across a boundary; settle against the boundary values themselves
  if (b > 0 && p < b / bins) b--;
  else if (b < bins - 1 && p >= (b + 1) / bins) b++;
  return b;
}
