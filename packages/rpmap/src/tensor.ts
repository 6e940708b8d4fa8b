import {
  all,
  cast,
  div,
  equal,
  fill,
  greaterEqual,
  logicalAnd,
  logicalOr,
  max,
  mul,
  round,
  sum,
  type Tensor,
  tidy,
  where,
} from '@tensorflow/tfjs-core';
import type { ReferenceTargetOptions } from './reference-target.js';
import { assertScale, type RewardPenaltyMapOptions } from './reward-penalty-map.js';
import { assertPenalty } from './validate.js';

/**
 * `rewardPenaltyMap` for tfjs users: the map of one image from its K annotations stacked on the
 * first axis, computed on whatever backend holds `masks`.
 *
 * @param masks `[K, ...spatial]` binary annotations (any dtype), K ≥ 1, at least one spatial axis.
 * @returns `[...spatial]` float32 map: counts / K (or / largest count), `penalty` where count is 0.
 * @throws RangeError on a rank-1 input, K = 0, values other than 0/1 (NaN included), a penalty
 *   ≥ 0 or an unknown scale. Checking the values downloads one boolean from the backend.
 *
 * @example
 * import * as tf from '@tensorflow/tfjs-core';
 * const masks = tf.tensor3d([[[1, 1], [0, 0]], [[1, 0], [0, 1]]]); // K = 2, 2×2 image
 * rewardPenaltyMapTensor(masks).print(); // [[1, 0.5], [-1, 0.5]]
 */
export function rewardPenaltyMapTensor(
  masks: Tensor,
  options: RewardPenaltyMapOptions = {},
): Tensor {
  const fn = 'rewardPenaltyMapTensor';
  const penalty = options.penalty ?? -1;
  const scale = options.scale ?? 'annotators';
  assertPenalty(fn, penalty);
  assertScale(fn, scale);
  if (masks.rank < 2) {
    throw new RangeError(
      `${fn}: masks must be [K, ...spatial] with at least one spatial axis, got shape [${masks.shape}]`,
    );
  }
  const k = masks.shape[0]!;
  if (k === 0) throw new RangeError(`${fn}: masks holds no annotation (K = 0)`);
  assertBinaryTensor(fn, masks);
  return tidy(() => {
    const countsF = sum(cast(masks, 'float32'), 0);
    const divisor = scale === 'annotators' ? k : max(countsF);
    const scaled = div(countsF, divisor);
    return where(equal(countsF, 0), fill(countsF.shape, penalty), scaled);
  });
}

/**
 * `referenceTarget` for tfjs users: the authors'-code training target of one annotation, from
 * that annotation and the annotation counts of its image (same shape).
 *
 * @throws RangeError on unequal shapes, a non-binary mask, negative or fractional counts, a
 *   marked voxel with count 0, a penalty ≥ 0 or a divisor ≤ 0 (one boolean is downloaded).
 *
 * @example
 * import * as tf from '@tensorflow/tfjs-core';
 * referenceTargetTensor(tf.tensor1d([1, 1, 0]), tf.tensor1d([3, 1, 0]), { penalty: -7, divisor: 7 });
 * // [3/7, 0, -1]
 */
export function referenceTargetTensor(
  mask: Tensor,
  counts: Tensor,
  options: ReferenceTargetOptions,
): Tensor {
  const fn = 'referenceTargetTensor';
  if (options == null) throw new TypeError(`${fn}: options { penalty, divisor } are required`);
  const { penalty, divisor } = options;
  assertPenalty(fn, penalty);
  if (typeof divisor !== 'number' || !Number.isFinite(divisor) || divisor <= 0) {
    throw new RangeError(`${fn}: divisor must be a finite number > 0, got ${String(divisor)}`);
  }
  if (mask.shape.join(',') !== counts.shape.join(',')) {
    throw new RangeError(
      `${fn}: mask shape [${mask.shape}] and counts shape [${counts.shape}] must be equal`,
    );
  }
  assertBinaryTensor(fn, mask);
  const consistent = readFlag(() => {
    const c = cast(counts, 'float32');
    // Integer-valued (NaN fails this), non-negative, and ≥ 1 wherever this annotator marked.
    const ok = logicalAnd(
      logicalAnd(equal(c, round(c)), greaterEqual(c, 0)),
      logicalOr(equal(mask, 0), greaterEqual(c, 1)),
    );
    return all(ok);
  });
  if (!consistent) {
    throw new RangeError(
      `${fn}: counts must be non-negative integers that include this annotation (count ≥ 1 wherever mask is 1)`,
    );
  }
  return tidy(() => {
    const c = cast(counts, 'float32');
    const value = mul(cast(mask, 'float32'), c);
    const withPenalty = where(equal(c, 0), fill(c.shape, penalty), value);
    const target = where(equal(withPenalty, 1), fill(c.shape, 0), withPenalty);
    return div(target, divisor);
  });
}

function assertBinaryTensor(fn: string, masks: Tensor): void {
  const binary = readFlag(() => all(logicalOr(equal(masks, 0), equal(masks, 1))));
  if (!binary) {
    throw new RangeError(`${fn}: annotations must be binary (0 or 1); found another value or NaN`);
  }
}

/** Evaluates a boolean scalar on the backend and downloads it, leaving no tensor behind. */
function readFlag(compute: () => Tensor): boolean {
  const flag = tidy(compute);
  const value = flag.dataSync()[0] === 1;
  flag.dispose();
  return value;
}

export type { ReferenceTargetOptions } from './reference-target.js';
export type { MapScale, RewardPenaltyMapOptions } from './reward-penalty-map.js';
