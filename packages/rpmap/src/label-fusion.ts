import { countAnnotations } from './count-annotations.js';

/**
 * The mean annotation of one image: per voxel, the fraction of the K annotators who marked it,
 * cₙ / K. A soft target for `softDiceLoss` in `@rpdl/losses`.
 *
 * @param masks K flattened binary annotations of one image, all of the same length.
 * @returns one value per voxel in {0, 1/K, …, 1}.
 * @throws RangeError on an empty list, unequal lengths or a value other than 0/1 (NaN included).
 *
 * @example
 * meanAnnotation([[1, 1, 0, 0], [1, 0, 0, 1]]); // Float32Array [1, 0.5, 0, 0.5]
 */
export function meanAnnotation(masks: readonly ArrayLike<number>[]): Float32Array {
  const counts = countAnnotations(masks);
  const mean = new Float32Array(counts.length);
  for (let i = 0; i < counts.length; i++) mean[i] = counts[i]! / masks.length;
  return mean;
}

/**
 * Majority vote of one image's annotations: 1 where at least half of the K annotators marked the
 * voxel (cₙ / K ≥ 0.5, so a tie counts as foreground), else 0.
 *
 * @param masks K flattened binary annotations of one image, all of the same length.
 * @throws RangeError on an empty list, unequal lengths or a value other than 0/1 (NaN included).
 *
 * @example
 * majorityVote([[1, 1, 0, 0], [1, 0, 0, 1]]); // Uint8Array [1, 1, 0, 1] (1 of 2 is a tie)
 * majorityVote([[1, 1, 0], [1, 0, 0], [0, 1, 0]]); // Uint8Array [1, 1, 0]
 */
export function majorityVote(masks: readonly ArrayLike<number>[]): Uint8Array {
  const counts = countAnnotations(masks);
  const vote = new Uint8Array(counts.length);
  // 2·c ≥ K is c/K ≥ 0.5 in integers, with no rounding at the tie
  for (let i = 0; i < counts.length; i++) vote[i] = 2 * counts[i]! >= masks.length ? 1 : 0;
  return vote;
}
