import '@tensorflow/tfjs-backend-cpu';
import '../register.js';
import {
  conv3dTranspose,
  grads,
  mul,
  setBackend,
  sum,
  type Tensor,
  type Tensor5D,
  tensor,
  tidy,
} from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { centralDifferences, randomTensor, uniform, worstViolation } from '../../test/numeric.js';

beforeAll(async () => {
  await setBackend('cpu');
});

interface Case {
  name: string;
  dyShape: [number, number, number, number, number];
  filterShape: [number, number, number, number, number];
  outShape: [number, number, number, number, number];
  strides: number;
  pad: 'same' | 'valid';
}

const cases: Case[] = [
  {
    name: "stride 2, 'same'",
    dyShape: [1, 2, 2, 2, 2],
    filterShape: [3, 3, 3, 3, 2],
    outShape: [1, 4, 4, 4, 3],
    strides: 2,
    pad: 'same',
  },
  {
    name: "stride 1, 'valid'",
    dyShape: [2, 2, 1, 2, 1],
    filterShape: [2, 2, 2, 2, 1],
    outShape: [2, 3, 2, 3, 2],
    strides: 1,
    pad: 'valid',
  },
];

describe('Conv3DBackpropInputV2 gradient (conv3dTranspose)', () => {
  for (const c of cases) {
    it(`matches central differences, ${c.name} (float32: h 1e-2, abs 1e-3 + rel 1e-2)`, () => {
      const weights = randomTensor(c.outShape, 1);
      const loss = (dy: Tensor, filter: Tensor) =>
        sum(
          mul(
            conv3dTranspose(dy as Tensor5D, filter as Tensor5D, c.outShape, c.strides, c.pad),
            weights,
          ),
        ) as Tensor;
      const nDy = c.dyShape.reduce((a, b) => a * b, 1);
      const nF = c.filterShape.reduce((a, b) => a * b, 1);
      const dy0 = uniform(nDy, 2);
      const f0 = uniform(nF, 3);
      const [gDy, gF] = tidy(() =>
        grads(loss)([tensor(dy0, c.dyShape), tensor(f0, c.filterShape)]),
      ).map((g) => g.dataSync());
      const numDy = centralDifferences(
        (v) =>
          tidy(() => loss(tensor(v, c.dyShape), tensor(f0, c.filterShape)).dataSync()[0] as number),
        dy0,
        1e-2,
      );
      const numF = centralDifferences(
        (v) =>
          tidy(
            () => loss(tensor(dy0, c.dyShape), tensor(v, c.filterShape)).dataSync()[0] as number,
          ),
        f0,
        1e-2,
      );
      expect(
        worstViolation(gDy as Float32Array, numDy, { abs: 1e-3, rel: 1e-2 }),
      ).toBeLessThanOrEqual(0);
      expect(
        worstViolation(gF as Float32Array, numF, { abs: 1e-3, rel: 1e-2 }),
      ).toBeLessThanOrEqual(0);
    });
  }

  it('gives the hand-derived gradient on a one-voxel case', () => {
    // dy = [a] (1 voxel, 1 channel), filter 1×1×1 from 1 to 2 channels w = [p, q]:
    // out = [a·p, a·q]; L = 3·a·p + 5·a·q → ∂L/∂a = 3p + 5q, ∂L/∂w = [3a, 5a].
    const [a, p, q] = [2, 0.5, -1];
    const weights = tensor([3, 5], [1, 1, 1, 1, 2]);
    const f = (dy: Tensor, w: Tensor) =>
      sum(
        mul(conv3dTranspose(dy as Tensor5D, w as Tensor5D, [1, 1, 1, 1, 2], 1, 'valid'), weights),
      ) as Tensor;
    const [gA, gW] = grads(f)([tensor([a], [1, 1, 1, 1, 1]), tensor([p, q], [1, 1, 1, 2, 1])]);
    expect(gA?.dataSync()[0]).toBeCloseTo(3 * p + 5 * q, 6);
    expect(Array.from(gW?.dataSync() ?? [])).toEqual([3 * a, 5 * a]);
  });
});
