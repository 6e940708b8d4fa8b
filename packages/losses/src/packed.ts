import { concat, type Scalar, slice, type Tensor, tidy } from '@tensorflow/tfjs-core';
import {
  type RewardPenaltyDiceLossOptions,
  rewardPenaltyDiceLoss,
} from './reward-penalty-dice-loss.js';
import { assertSameShape } from './validate.js';

/**
 * Packs each sample's target and reward-penalty map into one tensor, the target's channels first
 * and the map's after them on the last axis, for training code that hands a loss only
 * `(yTrue, yPred)`; unpack with {@link packedRewardPenaltyDiceLoss}.
 *
 * @param yTrue `[batch, ...spatial, C]` binary target.
 * @param rpMap the map, same shape.
 * @returns `[batch, ...spatial, 2C]`.
 * @throws RangeError on unequal shapes or a rank outside 2–5.
 *
 * @example
 * import * as tf from '@tensorflow/tfjs-core';
 * const packed = packTargetAndMap(tf.zeros([2, 8, 8, 1]), tf.fill([2, 8, 8, 1], -1)); // [2, 8, 8, 2]
 */
export function packTargetAndMap(yTrue: Tensor, rpMap: Tensor): Tensor {
  assertSameShape('packTargetAndMap', { yTrue, rpMap });
  return concat([yTrue, rpMap], -1);
}

/**
 * A `(yTrue, yPred) => Scalar` reward-penalty Dice loss whose `yTrue` is the output of
 * {@link packTargetAndMap}: its last axis holds twice the prediction's channels, the target's
 * first, then the map's.
 *
 * tfjs-layers `fit()` checks that targets have the output's shape, so give packed targets to
 * `fitDataset()` or to a custom loop with `optimizer.minimize`; `compile({ loss })` accepts the
 * returned function as is.
 *
 * @throws RangeError (when called) if the packed target's last axis is not twice the prediction's,
 *   or the other axes differ.
 *
 * @example
 * import * as tf from '@tensorflow/tfjs-core';
 * model.compile({ optimizer: 'adam', loss: packedRewardPenaltyDiceLoss({ smooth: 1 }) });
 * await model.fitDataset(batchesOf({ xs: images, ys: packTargetAndMap(masks, maps) }), { epochs: 5 });
 */
export function packedRewardPenaltyDiceLoss(
  options: RewardPenaltyDiceLossOptions = {},
): (yTrue: Tensor, yPred: Tensor) => Scalar {
  return (packed: Tensor, yPred: Tensor): Scalar => {
    const fn = 'packedRewardPenaltyDiceLoss';
    const channels = yPred.shape[yPred.rank - 1] ?? 0;
    const expected = [...yPred.shape.slice(0, -1), 2 * channels];
    if (packed.shape.join(',') !== expected.join(',')) {
      throw new RangeError(
        `${fn}: packed target shape [${packed.shape}] must be [${expected}] for prediction shape [${yPred.shape}] (target and map concatenated on the last axis)`,
      );
    }
    return tidy(() => {
      const begin = packed.shape.map(() => 0);
      const size = [...yPred.shape];
      const yTrue = slice(packed, begin, size);
      const rpMap = slice(packed, [...begin.slice(0, -1), channels], size);
      return rewardPenaltyDiceLoss(yTrue, yPred, rpMap, options);
    });
  };
}
