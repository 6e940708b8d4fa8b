import { assertBinaryMasks } from './validate.js';

/**
 * Counts, for every voxel, how many of the K annotators marked it (paper Fig. 2, first step).
 *
 * @param masks K flattened binary annotations of one image, all of the same length.
 * @returns counts in 0..K, one per voxel.
 * @throws RangeError on an empty list, unequal lengths or a value other than 0/1 (NaN included).
 *
 * @example
 * countAnnotations([[1, 1, 0], [1, 0, 0]]); // Uint16Array [2, 1, 0]
 */
export function countAnnotations(masks: readonly ArrayLike<number>[]): Uint16Array {
  const length = assertBinaryMasks(masks);
  if (masks.length > 0xffff) {
    throw new RangeError(
      `countAnnotations: ${masks.length} annotators exceed the 65535 a Uint16Array count can hold`,
    );
  }
  const counts = new Uint16Array(length);
  for (const mask of masks) {
    for (let i = 0; i < length; i++) counts[i]! += mask[i]!;
  }
  return counts;
}
