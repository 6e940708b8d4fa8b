import { diceCoefficient, rewardPenaltyDice } from '@rpdl/losses';
import { countAnnotations } from '@rpdl/rpmap';
import { rewardPenaltyMapTensor } from '@rpdl/rpmap/tensor';
import { reshape, type Tensor, tensor3d, tensor4d, tidy } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { AnnotatedImages } from './simulate.js';

export interface Evaluation {
  /** Mean Dice (Eq. 5) of the thresholded prediction against every annotation of every image. */
  dice: number;
  /** Mean RPD (Eq. 6), each image's map built from that image's K annotations. */
  rpd: number;
  /**
   * `meanProbability[c]`: the mean predicted probability over pixels that exactly c of the K
   * annotators marked. A model that learned the consensus is high at c = K and low at c = 0.
   */
  meanProbability: number[];
}

/**
 * Scores `model` on held-out images the way the paper scores a held-out bone: the prediction
 * thresholded at 0.5 against each annotation in turn, then averaged.
 *
 * @example
 * const { dice, rpd } = evaluate(model, testImages);
 */
export function evaluate(model: LayersModel, data: AnnotatedImages): Evaluation {
  const { size } = data;
  const k = data.masks[0]?.length ?? 0;
  let dice = 0;
  let rpd = 0;
  const probabilitySum = new Float64Array(k + 1);
  const pixelCount = new Float64Array(k + 1);
  data.images.forEach((image, i) => {
    const masks = data.masks[i]!;
    const probabilities = tidy(() => {
      const x = tensor4d(image, [1, size, size, 1]);
      const prediction = model.predict(x) as Tensor;
      // The tensor route to the map: [K, H, W] annotations in, [H, W] map out.
      const stacked = tensor3d(concatMasks(masks), [k, size, size]);
      const map = reshape(rewardPenaltyMapTensor(stacked), [1, size, size, 1]);
      for (const mask of masks) {
        const y = tensor4d(Float32Array.from(mask), [1, size, size, 1]);
        dice += diceCoefficient(y, prediction).dataSync()[0]!;
        rpd += rewardPenaltyDice(y, prediction, map).dataSync()[0]!;
      }
      return prediction.dataSync() as Float32Array;
    });
    const counts = countAnnotations(masks);
    counts.forEach((c, p) => {
      probabilitySum[c] = probabilitySum[c]! + probabilities[p]!;
      pixelCount[c] = pixelCount[c]! + 1;
    });
  });
  const rows = data.images.length * k;
  return {
    dice: dice / rows,
    rpd: rpd / rows,
    meanProbability: Array.from(probabilitySum, (s, c) => s / Math.max(pixelCount[c]!, 1)),
  };
}

/**
 * How well one annotator agrees with another on the same image: mean Dice over all ordered
 * pairs. The yardstick for the model's Dice (the paper's "surgeon baseline").
 *
 * @example
 * annotatorAgreement(testImages); // e.g. 0.8
 */
export function annotatorAgreement(data: AnnotatedImages): number {
  const { size } = data;
  let total = 0;
  let pairs = 0;
  for (const masks of data.masks) {
    tidy(() => {
      const tensors = masks.map((m) => tensor4d(Float32Array.from(m), [1, size, size, 1]));
      tensors.forEach((a, i) => {
        tensors.forEach((b, j) => {
          if (i === j) return;
          total += diceCoefficient(a, b).dataSync()[0]!;
          pairs++;
        });
      });
    });
  }
  return total / pairs;
}

function concatMasks(masks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(masks.reduce((n, m) => n + m.length, 0));
  let offset = 0;
  for (const m of masks) {
    out.set(m, offset);
    offset += m.length;
  }
  return out;
}
