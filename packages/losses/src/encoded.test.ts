import '../test/cpu-backend.js';
import { memory, tensor, train } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers the op gradients
import { describe, expect, it } from 'vitest';
import { pixelModel } from '../test/pixel-model.js';
import {
  encodedRewardPenaltyDiceLoss,
  encodeTargetAndMap,
  rewardPenaltyDiceLoss,
} from './index.js';

describe('encodeTargetAndMap / encodedRewardPenaltyDiceLoss', () => {
  const shape = [2, 3, 1];
  const y = tensor([1, 0, 0, 1, 1, 0], shape);
  const m = tensor([1, 2 / 3, -1, 1 / 3, 1, -1], shape);
  const p = tensor([0.9, 0.4, 0.2, 0.6, 0.7, 0.1], shape);

  it('encodes 4·y + M (hand-derived) and gives the unencoded loss back', () => {
    const encoded = encodeTargetAndMap(y, m);
    expect(encoded.shape).toEqual(shape);
    const e = encoded.dataSync();
    const expected = [5, 2 / 3, -1, 4 + 1 / 3, 5, -1];
    for (let i = 0; i < 6; i++) expect(Math.abs(e[i]! - expected[i]!)).toBeLessThan(2.4e-7);
    const before = memory().numTensors;
    const loss = encodedRewardPenaltyDiceLoss({ perSample: true })(encoded, p);
    expect(memory().numTensors).toBe(before + 1);
    expect(loss.dataSync()[0]).toBeCloseTo(
      rewardPenaltyDiceLoss(y, p, m, { perSample: true }).dataSync()[0]!,
      6,
    );
  });

  it('rejects non-binary targets, maps outside [−1, 1] and shape mismatches', () => {
    expect(() => encodeTargetAndMap(tensor([[0.5, 1]]), tensor([[1, 1]]))).toThrow(/binary/);
    expect(() => encodeTargetAndMap(tensor([[0, 1]]), tensor([[-1.5, 1]]))).toThrow(/in \[−1, 1\]/);
    expect(() => encodeTargetAndMap(tensor([[0, 1]]), tensor([[-1, 1]], [1, 2], 'int32'))).toThrow(
      /rpMap must be a float32/,
    );
    expect(() => encodeTargetAndMap(tensor([[0, 1]]), tensor([[Number.NaN, 1]]))).toThrow(/finite/);
    expect(() => encodeTargetAndMap(tensor([[0, 1]]), tensor([[1]]))).toThrow(/must be equal/);
    expect(() => encodedRewardPenaltyDiceLoss()(tensor([[0, 1]]), tensor([[1]]))).toThrow(
      /must be equal/,
    );
  });

  it('trains a tfjs-layers model through compile() + fit()', async () => {
    const n = 4 * 6 * 6;
    const target = tensor(
      Array.from({ length: n }, (_, i) => (i % 6 < 3 ? 1 : 0)),
      [4, 6, 6, 1],
    );
    const map = tensor(
      Array.from({ length: n }, (_, i) => (i % 6 < 3 ? 1 : -1)),
      [4, 6, 6, 1],
    );
    const x = map; // the input shows where the target is; the model must learn to say so
    const model = pixelModel();
    model.compile({ optimizer: train.adam(0.1), loss: encodedRewardPenaltyDiceLoss() });
    const history = await model.fit(x, encodeTargetAndMap(target, map), {
      epochs: 40,
      batchSize: 4,
      verbose: 0,
    });
    const losses = history.history.loss as number[];
    expect(losses[0]).toBeGreaterThan(0.4);
    expect(losses[losses.length - 1]!).toBeLessThan(0.1);
  });
});
