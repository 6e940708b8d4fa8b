import '../test/cpu-backend.js';
import {
  cast,
  clone,
  greater,
  memory,
  mul,
  randomUniform,
  sub,
  tensor,
  tidy,
  train,
} from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { pixelModel } from '../test/pixel-model.js';
import { packedRewardPenaltyDiceLoss, packTargetAndMap, rewardPenaltyDiceLoss } from './index.js';

describe('packTargetAndMap / packedRewardPenaltyDiceLoss', () => {
  it('packs target then map on the last axis', () => {
    const y = tensor([1, 0, 1, 1], [1, 2, 1, 2]);
    const m = tensor([0.5, -1, 1, 0.25], [1, 2, 1, 2]);
    const packed = packTargetAndMap(y, m);
    expect(packed.shape).toEqual([1, 2, 1, 4]);
    // per voxel: [y_c0, y_c1, M_c0, M_c1]
    expect(Array.from(packed.dataSync())).toEqual([1, 0, 0.5, -1, 1, 1, 1, 0.25]);
    expect(() => packTargetAndMap(y, tensor([1, 1], [1, 2]))).toThrow(/must be equal/);
  });

  it('gives the same loss as the unpacked call, without leaks', () => {
    const shape = [2, 3, 3, 2];
    const y = tidy(() => cast(greater(randomUniform(shape, 0, 1, 'float32', 1), 0.5), 'float32'));
    const m = randomUniform(shape, -1, 1, 'float32', 2);
    const p = randomUniform(shape, 0, 1, 'float32', 3);
    const packed = packTargetAndMap(y, m);
    const loss = packedRewardPenaltyDiceLoss({ smooth: 0.5, perChannel: true });
    const before = memory().numTensors;
    const value = loss(packed, p);
    expect(value.dataSync()[0]).toBeCloseTo(
      rewardPenaltyDiceLoss(y, p, m, { smooth: 0.5, perChannel: true }).dataSync()[0]!,
      6,
    );
    value.dispose();
    expect(memory().numTensors).toBe(before + 1); // the comparison's own scalar
    expect(() => loss(p, p)).toThrow(/packed target shape \[2,3,3,2\] must be \[2,3,3,4\]/);
  });

  it('trains a tfjs-layers model through compile() + fitDataset()', async () => {
    // input: one channel that is the target itself; a 1×1 conv only has to learn a sharp sigmoid
    const shape = [4, 6, 6, 1];
    const y = tensor(
      Array.from({ length: 144 }, (_, i) => (i % 6 < 3 ? 1 : 0)),
      shape,
    );
    const x = tidy(() => sub(mul(y, 2), 1));
    const m = tidy(() => sub(mul(y, 2), 1)); // reward 1 where marked, penalty −1 elsewhere
    const packed = packTargetAndMap(y, m);
    const model = pixelModel();
    model.compile({ optimizer: train.adam(0.1), loss: packedRewardPenaltyDiceLoss() });
    const dataset = {
      size: 1,
      iterator: async () => {
        let done = false;
        return {
          next: async () => {
            if (done) return { value: undefined, done: true };
            done = true;
            // fitDataset disposes every batch it is given
            return { value: { xs: clone(x), ys: clone(packed) }, done: false };
          },
        };
      },
    };
    const history = await model.fitDataset(
      dataset as unknown as Parameters<typeof model.fitDataset>[0],
      { epochs: 40, verbose: 0 },
    );
    const losses = history.history.loss as number[];
    expect(losses[0]).toBeGreaterThan(0.4);
    expect(losses[losses.length - 1]!).toBeLessThan(0.1);
  });
});
