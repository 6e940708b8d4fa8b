import { countAnnotations } from './count-annotations.js';
import { assertPenalty } from './validate.js';

/** How annotation counts are normalised before the penalty is applied. */
export type MapScale = 'annotators' | 'max';

export interface RewardPenaltyMapOptions {
  /** Value given to voxels that no annotator marked; must be < 0. Default −1 (the paper's choice). */
  penalty?: number;
  /**
   * `'annotators'` (default) divides counts by K, so a voxel all K marked gets 1;
   * `'max'` divides by the largest count, so the most agreed-on voxels get 1 even when no voxel
   * was marked by all K.
   */
  scale?: MapScale;
}

/**
 * Reward-penalty map of one image (paper Fig. 2): per voxel, the number of annotators who marked
 * it, normalised by K or by the largest count; voxels no annotator marked get `penalty`.
 *
 * @param masks K flattened binary annotations of one image, all of the same length.
 * @returns one float per voxel: in (0, 1] where marked, `penalty` elsewhere.
 * @throws RangeError on an empty list, unequal lengths, non-binary values (NaN included), a
 *   penalty ≥ 0 or an unknown scale.
 *
 * @example
 * rewardPenaltyMap([[1, 1, 0, 0], [1, 0, 0, 1]]);
 * // Float32Array [1, 0.5, -1, 0.5]
 * rewardPenaltyMap([[1, 0], [0, 0]], { scale: 'max', penalty: -0.5 });
 * // Float32Array [1, -0.5]
 */
export function rewardPenaltyMap(
  masks: readonly ArrayLike<number>[],
  options: RewardPenaltyMapOptions = {},
): Float32Array {
  const penalty = options.penalty ?? -1;
  const scale = options.scale ?? 'annotators';
  assertPenalty('rewardPenaltyMap', penalty);
  assertScale('rewardPenaltyMap', scale);
  const counts = countAnnotations(masks);
  let divisor = masks.length;
  if (scale === 'max') {
    divisor = 0;
    for (let i = 0; i < counts.length; i++) if (counts[i]! > divisor) divisor = counts[i]!;
  }
  const map = new Float32Array(counts.length);
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    // divisor is ≥ 1 whenever some count is > 0, so the division never sees 0.
    map[i] = c === 0 ? penalty : c / divisor;
  }
  return map;
}

export function assertScale(fn: string, scale: unknown): asserts scale is MapScale {
  if (scale !== 'annotators' && scale !== 'max') {
    throw new RangeError(`${fn}: scale must be 'annotators' or 'max', got ${String(scale)}`);
  }
}
