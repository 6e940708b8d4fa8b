import { diceCoefficient, rewardPenaltyDice } from '@rpdl/losses';
import { type MeanStd, meanStd } from '@rpdl/losses/metrics';
import { tensor, tidy } from '@tensorflow/tfjs-core';

export interface BoneScores {
  /** Dice (paper Eq. 5) of the thresholded prediction against each surgeon, summarised. */
  dice: MeanStd;
  /** RPD (Eq. 6) against each surgeon, with the map built from this bone's surgeons. */
  rpd: MeanStd;
  /** Per surgeon, in surgeon order. */
  perSurgeon: { dice: number; rpd: number }[];
}

/**
 * Scores a prediction for a held-out bone the way the paper's Experiment 1 does: against every
 * surgeon's drilled region in turn (threshold 0.5), Dice and RPD, then mean ± std.
 *
 * @param probabilities the network's output for the bone, one value per voxel.
 * @param masks the bone's drilled regions, one 0/1 volume per surgeon.
 * @param map the bone's reward-penalty map built from those same `masks`.
 * @example
 * const scores = scoreHeldOutBone(probabilities, masks, rewardPenaltyMap(masks));
 */
export function scoreHeldOutBone(
  probabilities: Float32Array,
  masks: readonly Uint8Array[],
  map: Float32Array,
): BoneScores {
  if (masks.length === 0) throw new RangeError('scoreHeldOutBone: no surgeon masks to score');
  for (const [what, length] of [
    ['a mask', masks.find((m) => m.length !== probabilities.length)?.length],
    ['the map', map.length === probabilities.length ? undefined : map.length],
  ] as const) {
    if (length !== undefined) {
      throw new RangeError(
        `scoreHeldOutBone: ${what} has ${length} voxels, the prediction ${probabilities.length}`,
      );
    }
  }
  const shape = [1, probabilities.length];
  const perSurgeon = tidy(() => {
    const p = tensor(probabilities, shape);
    const m = tensor(map, shape);
    return masks.map((mask) => {
      const y = tensor(Float32Array.from(mask), shape);
      return {
        dice: diceCoefficient(y, p).dataSync()[0]!,
        rpd: rewardPenaltyDice(y, p, m).dataSync()[0]!,
      };
    });
  });
  return {
    dice: meanStd(perSurgeon.map((s) => s.dice)),
    rpd: meanStd(perSurgeon.map((s) => s.rpd)),
    perSurgeon,
  };
}

/**
 * How much the bone's surgeons agree with one another: mean ± std of Dice over ordered pairs.
 * The yardstick for the model's Dice (the paper's surgeon baseline is 0.698 ± 0.088).
 *
 * @example
 * surgeonAgreement(masks).mean;
 */
export function surgeonAgreement(masks: readonly Uint8Array[]): MeanStd {
  if (masks.length < 2) {
    throw new RangeError(
      `surgeonAgreement: needs at least two surgeons' masks to compare, got ${masks.length}`,
    );
  }
  const values: number[] = [];
  tidy(() => {
    const tensors = masks.map((m) => tensor(Float32Array.from(m), [1, m.length]));
    tensors.forEach((a, i) => {
      tensors.forEach((b, j) => {
        if (i !== j) values.push(diceCoefficient(a, b).dataSync()[0]!);
      });
    });
  });
  return meanStd(values);
}
