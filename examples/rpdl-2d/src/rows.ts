import { countAnnotations, referenceTarget, rewardPenaltyMap } from '@rpdl/rpmap';
import { type Tensor4D, tensor4d } from '@tensorflow/tfjs-core';
import type { AnnotatedImages } from './simulate.js';

/**
 * Training rows as the paper lays them out: one row per (image, annotation), the image
 * repeated for each of its K annotations, and every row carrying the reward-penalty map of
 * its image, built from all K annotations of that image.
 */
export interface TrainingRows {
  /** `[images·K, H, W, 1]` the input image of each row. */
  x: Tensor4D;
  /** `[images·K, H, W, 1]` the row's own 0/1 annotation. */
  y: Tensor4D;
  /** `[images·K, H, W, 1]` the reward-penalty map M of the row's image. */
  map: Tensor4D;
  /**
   * `[images·K, H, W, 1]` the authors'-code training target of the row (its annotation × the
   * image's counts, lone marks zeroed, unmarked pixels −K, all ÷ K), for
   * `referenceRewardPenaltyDiceLoss`.
   */
  target: Tensor4D;
}

/**
 * Builds the maps with `rewardPenaltyMap` and the authors'-code targets with `countAnnotations`
 * and `referenceTarget` (typed arrays, no tfjs needed), then uploads the rows. The caller
 * disposes the four tensors.
 *
 * @example
 * const rows = trainingRows(simulateAnnotatedImages({ images: 2, size: 16, annotators: 3, seed: 1 }));
 * rows.x.shape; // [6, 16, 16, 1]
 */
export function trainingRows(data: AnnotatedImages, penalty = -1): TrainingRows {
  const k = data.masks[0]?.length ?? 0;
  const pixels = data.size * data.size;
  const count = data.images.length * k;
  const x = new Float32Array(count * pixels);
  const y = new Float32Array(count * pixels);
  const map = new Float32Array(count * pixels);
  const target = new Float32Array(count * pixels);
  data.images.forEach((image, i) => {
    const masks = data.masks[i]!;
    const m = rewardPenaltyMap(masks, { penalty });
    const counts = countAnnotations(masks);
    masks.forEach((mask, a) => {
      const offset = (i * k + a) * pixels;
      x.set(image, offset);
      y.set(mask, offset);
      map.set(m, offset);
      // The authors' code, with 7 surgeons, used penalty −7 and divisor 7: −K and K here.
      target.set(referenceTarget(mask, counts, { penalty: -k, divisor: k }), offset);
    });
  });
  const shape: [number, number, number, number] = [count, data.size, data.size, 1];
  return {
    x: tensor4d(x, shape),
    y: tensor4d(y, shape),
    map: tensor4d(map, shape),
    target: tensor4d(target, shape),
  };
}
