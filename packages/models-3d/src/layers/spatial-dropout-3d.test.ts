import '@tensorflow/tfjs-backend-cpu';
import { ones, setBackend, type Tensor } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomTensor } from '../../test/numeric.js';
import { spatialDropout3d } from './spatial-dropout-3d.js';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('SpatialDropout3D', () => {
  it('is the identity at inference', () => {
    const x = randomTensor([2, 3, 3, 3, 4], 5);
    const y = spatialDropout3d({ rate: 0.5 }).apply(x) as Tensor;
    expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
  });

  it('drops whole channels per sample and scales the kept ones by 1/(1 − rate)', () => {
    const [batch, size, channels] = [4, 3, 250];
    const y = spatialDropout3d({ rate: 0.3, seed: 9 }).apply(
      ones([batch, size, size, size, channels]),
      {
        training: true,
      },
    ) as Tensor;
    const v = y.dataSync();
    const voxels = size ** 3;
    let dropped = 0;
    for (let b = 0; b < batch; b++)
      for (let c = 0; c < channels; c++) {
        const first = v[b * voxels * channels + c] as number;
        expect([0, 1 / 0.7].some((k) => Math.abs(first - k) < 1e-6)).toBe(true);
        for (let i = 1; i < voxels; i++) expect(v[(b * voxels + i) * channels + c]).toBe(first);
        if (first === 0) dropped++;
      }
    // 1000 Bernoulli(0.3) draws: mean 300, sd ≈ 14.5; ±5 sd.
    expect(Math.abs(dropped - 300)).toBeLessThan(73);
  });

  it('is reproducible from its seed and draws a new mask per call', () => {
    const x = ones([1, 1, 1, 1, 64]);
    const draw = (layer: ReturnType<typeof spatialDropout3d>) =>
      Array.from((layer.apply(x, { training: true }) as Tensor).dataSync());
    const a = spatialDropout3d({ rate: 0.5, seed: 3 });
    const b = spatialDropout3d({ rate: 0.5, seed: 3 });
    const first = draw(a);
    expect(draw(b)).toEqual(first);
    expect(draw(a)).not.toEqual(first);
  });

  it('replays its masks from a saved random state', () => {
    const x = ones([2, 1, 1, 1, 32]);
    const layer = spatialDropout3d({ rate: 0.5, seed: 8 });
    const draw = () => Array.from((layer.apply(x, { training: true }) as Tensor).dataSync());
    const saved = layer.randomState();
    const first = draw();
    expect(layer.randomState()).not.toBe(saved);
    const beforeInference = layer.randomState();
    layer.apply(x);
    expect(layer.randomState()).toBe(beforeInference);
    layer.setRandomState(saved);
    expect(draw()).toEqual(first);
    expect(() => layer.setRandomState(-1)).toThrow(/32-bit unsigned integer/);
  });

  it('rejects bad rates, seeds and non-rank-5 input', () => {
    expect(() => spatialDropout3d({ rate: 0.1, seed: 1.5 })).toThrow(
      /SpatialDropout3D seed must be an integer, got 1.5/,
    );
    expect(() => spatialDropout3d({ rate: 1 })).toThrow(/rate must be in \[0, 1\)/);
    expect(() => spatialDropout3d({ rate: -0.1 })).toThrow(/rate must be in \[0, 1\)/);
    expect(() => spatialDropout3d({ rate: 0.1 }).apply(ones([2, 3]))).toThrow(/rank-5 input/);
  });
});
