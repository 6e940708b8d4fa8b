import { resolveThreshold } from '../threshold-rule.js';
import {
  assertBinary,
  assertInRange,
  assertProbabilities,
  assertSameLength,
  type Volume,
} from './arrays.js';

export interface MetricOptions {
  /** The prediction is foreground where p ≥ threshold. Default 0.5 (the paper). */
  threshold?: number;
}

/**
 * Binarises probabilities with the package's one rule: 1 where p ≥ threshold, else 0.
 *
 * @param probability values in [0, 1], e.g. a sigmoid output.
 * @throws RangeError on a value outside [0, 1] (NaN included) or a non-finite threshold.
 *
 * @example
 * binarize(new Float32Array([0.2, 0.5, 0.9])); // Uint8Array [0, 1, 1]
 */
export function binarize(probability: Volume, threshold = 0.5): Uint8Array {
  const fn = 'binarize';
  const level = resolveThreshold(fn, threshold);
  assertSameLength(fn, { probability });
  assertProbabilities(fn, 'probability', probability);
  const out = new Uint8Array(probability.length);
  for (let i = 0; i < out.length; i++) out[i] = probability[i]! >= level ? 1 : 0;
  return out;
}

/**
 * Dice coefficient (paper Eq. 5) of one volume: `2·Σ y·P′ / (Σ y + Σ P′)` with P′ = 1 where
 * P ≥ threshold. A binary prediction passes through unchanged. 1 when both are empty.
 *
 * @param yTrue binary annotation.
 * @param yPred probabilities in [0, 1] (or a binary prediction), same length.
 * @throws RangeError on unequal or zero lengths, a non-binary `yTrue`, a `yPred` value outside
 *   [0, 1] (NaN included) or a non-finite threshold.
 *
 * @example
 * dice([1, 1, 0, 0], [0.9, 0.2, 0.7, 0]); // P′ = [1, 0, 1, 0]: 2·1 / (2 + 2) = 0.5
 */
export function dice(yTrue: Volume, yPred: Volume, options: MetricOptions = {}): number {
  return ratio('dice', yTrue, yPred, undefined, options);
}

/**
 * Reward-penalty Dice coefficient (paper Eq. 6) of one volume:
 * `2·Σ y·P′·M / (Σ y·|M| + Σ P′·|M|)` with P′ = 1 where P ≥ threshold and M the image's
 * reward-penalty map. 1 when the denominator is 0.
 *
 * @param yTrue binary annotation.
 * @param yPred probabilities in [0, 1] (or a binary prediction), same length.
 * @param map reward-penalty map with values in [−1, 1] (see `@rpdl/rpmap`), same length.
 * @throws RangeError on unequal or zero lengths, a non-binary `yTrue`, a `yPred` value outside
 *   [0, 1], a map value outside [−1, 1] (NaN included) or a non-finite threshold.
 *
 * @example
 * rewardPenaltyDice([1, 1, 0, 0], [0.9, 0.2, 0.7, 0.8], [1, 0.5, 0.5, -1]);
 * // P′ = [1, 0, 1, 1]: 2·1 / (1.5 + (1 + 0.5 + 1)) = 0.5
 */
export function rewardPenaltyDice(
  yTrue: Volume,
  yPred: Volume,
  map: Volume,
  options: MetricOptions = {},
): number {
  return ratio('rewardPenaltyDice', yTrue, yPred, map, options);
}

function ratio(
  fn: string,
  yTrue: Volume,
  yPred: Volume,
  map: Volume | undefined,
  options: MetricOptions,
): number {
  const level = resolveThreshold(fn, options.threshold);
  const n = assertSameLength(fn, map === undefined ? { yTrue, yPred } : { yTrue, yPred, map });
  assertBinary(fn, 'yTrue', yTrue);
  assertProbabilities(fn, 'yPred', yPred);
  if (map !== undefined) assertInRange(fn, 'map', map, -1, 1, 'a reward-penalty map value');
  let numerator = 0;
  let denominator = 0;
  for (let i = 0; i < n; i++) {
    const y = yTrue[i]!;
    const p = yPred[i]! >= level ? 1 : 0;
    const m = map === undefined ? 1 : map[i]!;
    numerator += y * p * m;
    denominator += (y + p) * Math.abs(m);
  }
  return denominator === 0 ? 1 : (2 * numerator) / denominator;
}
