import { Tensor } from '@tensorflow/tfjs-core';

/** Binary masks as a tensor, one flat array, or a list of arrays (e.g. one per training row). */
export type MaskSource = Tensor | ArrayLike<number> | readonly ArrayLike<number>[];

/**
 * The paper's WCEL weight w (Eq. 1): background voxels ÷ foreground voxels over all masks, e.g.
 * 49 when 2 % of the voxels are foreground.
 *
 * @param masks binary training masks; a tensor is downloaded once.
 * @throws RangeError on a value other than 0/1 (NaN included), no voxels, or no foreground.
 *
 * @example
 * foregroundWeight([[1, 0, 0, 0], [1, 1, 0, 0]]); // 5 background / 3 foreground = 5/3
 */
export function foregroundWeight(masks: MaskSource): number {
  const fn = 'foregroundWeight';
  const arrays: ArrayLike<number>[] =
    masks instanceof Tensor
      ? [masks.dataSync()]
      : isListOfArrays(masks)
        ? [...masks]
        : [masks as ArrayLike<number>];
  let foreground = 0;
  let total = 0;
  for (let k = 0; k < arrays.length; k++) {
    const mask = arrays[k]!;
    for (let i = 0; i < mask.length; i++) {
      const v = mask[i]!;
      if (v !== 0 && v !== 1) {
        throw new RangeError(`${fn}: masks must be binary (0 or 1); found ${v} at [${k}][${i}]`);
      }
      foreground += v;
    }
    total += mask.length;
  }
  if (total === 0) throw new RangeError(`${fn}: masks hold no voxels`);
  if (foreground === 0) {
    throw new RangeError(`${fn}: masks hold no foreground voxel, so the ratio is undefined`);
  }
  return (total - foreground) / foreground;
}

function isListOfArrays(value: MaskSource): value is readonly ArrayLike<number>[] {
  return Array.isArray(value) && value.length > 0 && typeof value[0] === 'object';
}
