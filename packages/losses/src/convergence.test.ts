import '../test/cpu-backend.js';
// Autodiff needs the op gradients, which tfjs-core alone does not register.
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { countAnnotations, referenceTarget, rewardPenaltyMap } from '@rpdl/rpmap';
import {
  dispose,
  type Scalar,
  sigmoid,
  type Tensor,
  tensor,
  tidy,
  tile,
  train,
  variable,
  zeros,
} from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  diceLoss,
  foregroundWeight,
  referenceRewardPenaltyDiceLoss,
  rewardPenaltyDiceLoss,
  weightedCrossEntropy,
} from './index.js';

// A 12×12 image annotated by K = 5 annotators who agree on a core but not on its edges: each
// marks a 5×5 square at a slightly different place, and the last one also a stray blob.
const SIZE = 12;
const K = 5;
const CORNERS: [number, number][] = [
  [3, 3],
  [3, 4],
  [4, 3],
  [4, 4],
  [2, 3],
];

function annotation(k: number): number[] {
  const [top, left] = CORNERS[k]!;
  const mask = new Array<number>(SIZE * SIZE).fill(0);
  for (let r = top; r < top + 5; r++) for (let c = left; c < left + 5; c++) mask[r * SIZE + c] = 1;
  if (k === K - 1) for (let r = 9; r < 11; r++) for (let c = 8; c < 11; c++) mask[r * SIZE + c] = 1;
  return mask;
}

const masks = Array.from({ length: K }, (_, k) => annotation(k));
const counts = countAnnotations(masks);
const shape = [K, SIZE, SIZE, 1];

/**
 * The smallest trainable model: one free logit per pixel, shared by the K rows of the batch
 * (one image, K annotations of it), trained with Adam until the loss settles.
 */
function trainLogits(
  loss: (p: Tensor) => Scalar,
  steps = 150,
): { p: Float32Array; first: number; last: number } {
  const logits = variable(zeros([1, SIZE, SIZE, 1]));
  const optimizer = train.adam(0.1);
  let first = Number.NaN;
  let last = Number.NaN;
  for (let step = 0; step < steps; step++) {
    const value = optimizer.minimize(() => loss(sigmoid(tile(logits, [K, 1, 1, 1]))), true)!;
    const v = value.dataSync()[0]!;
    if (step === 0) first = v;
    last = v;
    value.dispose();
  }
  const p = tidy(() => sigmoid(logits).dataSync() as Float32Array);
  optimizer.dispose();
  logits.dispose();
  return { p, first, last };
}

function meanWhere(p: Float32Array, keep: (count: number) => boolean): number {
  let total = 0;
  let n = 0;
  for (let i = 0; i < p.length; i++) {
    if (keep(counts[i]!)) {
      total += p[i]!;
      n++;
    }
  }
  return total / n;
}

describe('training on disagreeing annotators', () => {
  it('RPDL concentrates on what most annotators marked and avoids the penalised region', () => {
    const y = tensor(masks.flat(), shape);
    const mapOne = rewardPenaltyMap(masks); // counts / K, −1 where nobody marked
    const m = tensor(Array.from({ length: K }, () => Array.from(mapOne)).flat(), shape);
    const target = tensor(
      masks.flatMap((mask) =>
        Array.from(referenceTarget(mask, counts, { penalty: -K, divisor: K })),
      ),
      shape,
    );
    const weight = foregroundWeight(masks);

    const results = {
      wcel: trainLogits((p) => weightedCrossEntropy(y, p, { weight })),
      dice: trainLogits((p) => diceLoss(y, p)),
      rpdl: trainLogits((p) => rewardPenaltyDiceLoss(y, p, m)),
      reference: trainLogits((p) => referenceRewardPenaltyDiceLoss(target, p)),
    };
    for (const { first, last } of Object.values(results)) expect(last).toBeLessThan(first);

    const { p } = results.rpdl;
    // every pixel marked by a majority (≥ 3 of 5) is predicted, the unanimous core confidently
    for (let i = 0; i < p.length; i++) if (counts[i]! >= 3) expect(p[i]).toBeGreaterThan(0.5);
    expect(meanWhere(p, (c) => c === K)).toBeGreaterThan(0.95);
    // nothing in the penalised region (no annotator), and the lone annotator's blob is dropped
    for (let i = 0; i < p.length; i++) if (counts[i] === 0) expect(p[i]).toBeLessThan(0.05);
    for (let r = 9; r < 11; r++)
      for (let c = 8; c < 11; c++) expect(p[r * SIZE + c]).toBeLessThan(0.5);
    // the prediction ranks pixels by agreement
    const minority = (c: number) => c === 1 || c === 2;
    expect(meanWhere(p, (c) => c >= 3)).toBeGreaterThan(meanWhere(p, minority));
    // the map's reward grows with agreement, so RPDL keeps less of what only 1–2 of 5 marked than
    // the Dice loss, which weighs every annotation alike (measured: ≈ 0.19 against ≈ 0.41)
    expect(meanWhere(p, minority)).toBeLessThan(meanWhere(results.dice.p, minority) - 0.1);
    dispose([y, m, target]);
  });
});
