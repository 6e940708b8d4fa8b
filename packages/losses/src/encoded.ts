import {
  abs,
  add,
  all,
  cast,
  equal,
  greater,
  lessEqual,
  logicalAnd,
  logicalOr,
  mul,
  type Scalar,
  sub,
  type Tensor,
  tidy,
} from '@tensorflow/tfjs-core';
import {
  type RewardPenaltyDiceLossOptions,
  rewardPenaltyDiceLoss,
} from './reward-penalty-dice-loss.js';
import { assertMapDtype, assertSameShape } from './validate.js';

/**
 * The offset that separates annotated from unannotated voxels in an encoded target: with
 * |M| ≤ 1, y·4 + M lies in [−1, 1] where y = 0 and in [3, 5] where y = 1, so 2 splits them.
 */
const OFFSET = 4;
const MAP_BOUND = OFFSET / 2;

/**
 * Encodes a binary target and its reward-penalty map into one tensor of the target's own shape,
 * `4·y + M`, for `model.fit()`, which insists that targets have the output's shape (so the
 * channel-packed {@link packTargetAndMap} form only suits `fitDataset()` and custom loops).
 * Decoding recovers y exactly and M to float32 rounding of M + 4 (≤ 2.4e-7 absolute).
 *
 * @param yTrue binary target (0/1), rank 2–5.
 * @param rpMap the float32 map, same shape, values in [−1, 1] (as `rewardPenaltyDiceLoss` needs).
 * @throws RangeError on unequal shapes, a non-binary target, or a map value outside [−1, 1] or
 *   not finite (checking downloads one boolean); TypeError on a map that is not float32.
 *
 * @example
 * import * as tf from '@tensorflow/tfjs-core';
 * model.compile({ optimizer: 'adam', loss: encodedRewardPenaltyDiceLoss() });
 * await model.fit(images, encodeTargetAndMap(masks, maps), { epochs: 10 });
 */
export function encodeTargetAndMap(yTrue: Tensor, rpMap: Tensor): Tensor {
  const fn = 'encodeTargetAndMap';
  assertSameShape(fn, { yTrue, rpMap });
  assertMapDtype(fn, 'rpMap', rpMap);
  const valid = tidy(() =>
    all(
      logicalAnd(
        logicalOr(equal(yTrue, 0), equal(yTrue, 1)),
        lessEqual(abs(rpMap), 1), // false for NaN and ±Infinity too
      ),
    ),
  );
  const ok = valid.dataSync()[0] === 1;
  valid.dispose();
  if (!ok) {
    throw new RangeError(
      `${fn}: yTrue must be binary (0/1) and every map value finite and in [−1, 1]`,
    );
  }
  return tidy(() => add(mul(cast(yTrue, 'float32'), OFFSET), cast(rpMap, 'float32')));
}

/**
 * A `(yTrue, yPred) => Scalar` reward-penalty Dice loss whose `yTrue` is the output of
 * {@link encodeTargetAndMap}; it decodes y and M and calls `rewardPenaltyDiceLoss`.
 *
 * @example
 * model.compile({ optimizer: tf.train.adam(1e-4), loss: encodedRewardPenaltyDiceLoss({ smooth: 1 }) });
 */
export function encodedRewardPenaltyDiceLoss(
  options: RewardPenaltyDiceLossOptions = {},
): (yTrue: Tensor, yPred: Tensor) => Scalar {
  return (encoded: Tensor, yPred: Tensor): Scalar => {
    assertSameShape('encodedRewardPenaltyDiceLoss', { encoded, yPred });
    return tidy(() => {
      const yTrue = cast(greater(encoded, MAP_BOUND), 'float32');
      const rpMap = sub(encoded, mul(yTrue, OFFSET));
      return rewardPenaltyDiceLoss(yTrue, yPred, rpMap, options);
    });
  };
}
