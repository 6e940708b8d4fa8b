import '@tensorflow/tfjs-backend-cpu';
import {
  grad,
  mul,
  range,
  reshape,
  setBackend,
  sum,
  type Tensor,
  tidy,
} from '@tensorflow/tfjs-core';
import { input } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomTensor } from '../../test/numeric.js';
import { upSampling3d } from './up-sampling-3d.js';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('UpSampling3D', () => {
  it('repeats each voxel s_d × s_h × s_w times (nearest neighbour)', () => {
    // x[d, h, w, c] = 12d + 6h + 2w + c on a [2, 2, 3, 2] volume.
    const x = reshape(range(0, 24), [1, 2, 2, 3, 2]);
    const y = upSampling3d({ size: [2, 3, 1] }).apply(x) as Tensor;
    expect(y.shape).toEqual([1, 4, 6, 3, 2]);
    const values = y.dataSync();
    let checked = 0;
    for (let d = 0; d < 4; d++)
      for (let h = 0; h < 6; h++)
        for (let w = 0; w < 3; w++)
          for (let c = 0; c < 2; c++) {
            const got = values[((d * 6 + h) * 3 + w) * 2 + c];
            expect(got).toBe(12 * Math.floor(d / 2) + 6 * Math.floor(h / 3) + 2 * w + c);
            checked++;
          }
    expect(checked).toBe(144);
  });

  it('passes back the sum of the gradients of each voxel’s copies', () => {
    const x = randomTensor([1, 2, 2, 2, 1], 3);
    const w = randomTensor([1, 4, 4, 4, 1], 4);
    const g = tidy(() =>
      grad((t: Tensor) => sum(mul(upSampling3d().apply(t) as Tensor, w)))(x).dataSync(),
    );
    const wv = w.dataSync();
    for (let d = 0; d < 2; d++)
      for (let h = 0; h < 2; h++)
        for (let v = 0; v < 2; v++) {
          let expected = 0;
          for (const [a, b, c] of [
            [0, 0, 0],
            [0, 0, 1],
            [0, 1, 0],
            [0, 1, 1],
            [1, 0, 0],
            [1, 0, 1],
            [1, 1, 0],
            [1, 1, 1],
          ] as const)
            expected += wv[((2 * d + a) * 4 + (2 * h + b)) * 4 + (2 * v + c)] as number;
          expect(g[(d * 2 + h) * 2 + v]).toBeCloseTo(expected, 5);
        }
  });

  it('computes symbolic output shapes and rejects bad sizes', () => {
    const y = upSampling3d({ size: 2 }).apply(input({ shape: [3, 4, 5, 6] }));
    expect((y as { shape: unknown }).shape).toEqual([null, 6, 8, 10, 6]);
    expect(() => upSampling3d({ size: 0 })).toThrow(/size must be a positive integer/);
    expect(() => upSampling3d({ size: [2, 2] as unknown as [number, number, number] })).toThrow(
      /three positive integers/,
    );
  });
});
