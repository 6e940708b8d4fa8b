/**
 * Evaluation metrics on flattened binary volumes (typed arrays, no tensors): the paper's Eq. 5 and
 * Eq. 6, applied after thresholding the network's output at 0.5.
 */

function assertSameLength(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  if (a.length !== b.length) {
    throw new RangeError(
      `${what}: volumes must have equal length, got ${a.length} and ${b.length}`,
    );
  }
  if (a.length === 0) throw new RangeError(`${what}: volumes are empty`);
}

/**
 * Binarises probabilities: 1 where p ≥ threshold (default 0.5, the paper's), else 0.
 *
 * @example
 * threshold(new Float32Array([0.2, 0.5, 0.9])); // Uint8Array [0, 1, 1]
 */
export function threshold(probabilities: ArrayLike<number>, level = 0.5): Uint8Array {
  const out = new Uint8Array(probabilities.length);
  for (let i = 0; i < out.length; i++) {
    const p = probabilities[i]!;
    if (Number.isNaN(p)) throw new RangeError(`threshold: probability ${i} is NaN`);
    out[i] = p >= level ? 1 : 0;
  }
  return out;
}

/**
 * Dice coefficient (Eq. 5) of a binary prediction against a binary annotation:
 * 2·Σ y·P′ / (Σ y + Σ P′). Two empty volumes agree perfectly (1).
 *
 * @example
 * dice(new Uint8Array([1, 1, 0, 0]), new Uint8Array([1, 0, 1, 0])); // 0.5
 */
export function dice(prediction: ArrayLike<number>, annotation: ArrayLike<number>): number {
  assertSameLength(prediction, annotation, 'dice');
  let overlap = 0;
  let total = 0;
  for (let i = 0; i < prediction.length; i++) {
    const p = prediction[i]!;
    const y = annotation[i]!;
    overlap += p * y;
    total += p + y;
  }
  return total === 0 ? 1 : (2 * overlap) / total;
}

/**
 * Reward-penalty Dice (Eq. 6): 2·Σ y·P′·M / (Σ y·|M| + Σ P′·|M|), with M the reward-penalty map
 * of the annotations compared against. Returns 1 when the denominator is 0 (nothing predicted or
 * annotated where the map is non-zero).
 *
 * @example
 * rewardPenaltyDiceScore(new Uint8Array([1, 1]), new Uint8Array([1, 0]), new Float32Array([1, -1])); // 2/3
 */
export function rewardPenaltyDiceScore(
  prediction: ArrayLike<number>,
  annotation: ArrayLike<number>,
  map: ArrayLike<number>,
): number {
  assertSameLength(prediction, annotation, 'rewardPenaltyDiceScore');
  assertSameLength(prediction, map, 'rewardPenaltyDiceScore');
  let numerator = 0;
  let denominator = 0;
  for (let i = 0; i < prediction.length; i++) {
    const p = prediction[i]!;
    const y = annotation[i]!;
    const m = map[i]!;
    const absM = Math.abs(m);
    numerator += y * p * m;
    denominator += (y + p) * absM;
  }
  return denominator === 0 ? 1 : (2 * numerator) / denominator;
}

/**
 * The voxel-wise mean of binary masks thresholded at `level`: the "atlas" a network must beat
 * (with level 0.5 a voxel is in when at least half of the masks mark it).
 *
 * @example
 * meanMask([new Uint8Array([1, 1, 0]), new Uint8Array([1, 0, 0])]); // Uint8Array [1, 1, 0]
 */
export function meanMask(masks: readonly ArrayLike<number>[], level = 0.5): Uint8Array {
  const [first] = masks;
  if (first === undefined) throw new RangeError('meanMask: need at least one mask');
  const sums = new Float64Array(first.length);
  for (const mask of masks) {
    assertSameLength(first, mask, 'meanMask');
    for (let i = 0; i < sums.length; i++) sums[i]! += mask[i]!;
  }
  const out = new Uint8Array(sums.length);
  for (let i = 0; i < sums.length; i++) out[i] = sums[i]! / masks.length >= level ? 1 : 0;
  return out;
}
