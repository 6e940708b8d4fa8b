import '@tensorflow/tfjs-backend-cpu';
import { backend_util, setBackend, tensor5d } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { nativeFallbacks } from './kernel-support.js';
import {
  nativeTestsEnabled,
  prng,
  randomTensor,
  relativeError,
  stockAndNative,
} from './test-helpers.js';

type V3 = [number, number, number];
interface Case {
  batch: number;
  size: V3;
  channels: number;
  window: V3;
  strides: V3;
  pad: 'same' | 'valid';
}

const CASES: Case[] = [
  { batch: 1, size: [4, 4, 4], channels: 1, window: [2, 2, 2], strides: [2, 2, 2], pad: 'valid' },
  { batch: 2, size: [7, 5, 9], channels: 3, window: [2, 2, 2], strides: [2, 2, 2], pad: 'same' },
  { batch: 3, size: [9, 8, 7], channels: 4, window: [3, 3, 3], strides: [2, 2, 2], pad: 'valid' },
  { batch: 1, size: [6, 7, 5], channels: 64, window: [3, 3, 3], strides: [1, 1, 1], pad: 'same' },
  { batch: 2, size: [5, 5, 5], channels: 16, window: [3, 2, 1], strides: [1, 2, 1], pad: 'valid' },
  { batch: 1, size: [11, 9, 7], channels: 8, window: [3, 3, 3], strides: [2, 1, 2], pad: 'same' },
  { batch: 2, size: [8, 7, 9], channels: 5, window: [2, 2, 2], strides: [3, 3, 3], pad: 'valid' },
  { batch: 3, size: [7, 6, 5], channels: 2, window: [2, 1, 2], strides: [2, 2, 2], pad: 'same' },
];

/**
 * Float64 reference max-pool gradient (first maximum wins). The stock MaxPool3DGrad is the
 * reference where it is right; its window-position index uses the window height where the width
 * belongs, so for windows whose height and width differ it routes gradients to wrong voxels.
 */
function referenceMaxPoolGrad(
  x: Float32Array,
  dy: Float32Array,
  xShape: number[],
  outShape: number[],
  window: V3,
  strides: V3,
  padBefore: V3,
): Float64Array {
  const [n, d, h, w, c] = xShape as [number, number, number, number, number];
  const [, od, oh, ow] = outShape as [number, number, number, number, number];
  const dx = new Float64Array(x.length);
  const at = (b: number, z: number, y: number, xx: number, ch: number) =>
    (((b * d + z) * h + y) * w + xx) * c + ch;
  for (let b = 0; b < n; b++)
    for (let z = 0; z < od; z++)
      for (let y = 0; y < oh; y++)
        for (let xx = 0; xx < ow; xx++)
          for (let ch = 0; ch < c; ch++) {
            let best = -1;
            let bestValue = Number.NEGATIVE_INFINITY;
            for (let kz = 0; kz < window[0]; kz++)
              for (let ky = 0; ky < window[1]; ky++)
                for (let kx = 0; kx < window[2]; kx++) {
                  const iz = z * strides[0] - padBefore[0] + kz;
                  const iy = y * strides[1] - padBefore[1] + ky;
                  const ix = xx * strides[2] - padBefore[2] + kx;
                  if (iz < 0 || iz >= d || iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                  const i = at(b, iz, iy, ix, ch);
                  if ((x[i] as number) > bestValue) {
                    bestValue = x[i] as number;
                    best = i;
                  }
                }
            dx[best] =
              (dx[best] as number) + (dy[(((b * od + z) * oh + y) * ow + xx) * c + ch] as number);
          }
  return dx;
}

const label = (c: Case) =>
  `b${c.batch} ${c.size.join('x')} c${c.channels} w${c.window.join('')} s${c.strides.join('')} ${c.pad}`;

describe.skipIf(!nativeTestsEnabled)('native MaxPool3D kernels match the stock cpu kernels', () => {
  beforeAll(async () => {
    await setBackend('cpu');
  });

  it('picks the window maximum and routes the gradient to it (hand-worked 1x2x2x2x1 case)', () => {
    const x = tensor5d([1, 8, 3, 4, 5, 2, 7, 6], [1, 2, 2, 2, 1]);
    const pooled = stockAndNative('MaxPool3D', { x }, { filterSize: 2, strides: 2, pad: 'valid' });
    expect([...pooled.native]).toEqual([8]);
    const dy = tensor5d([0.5], [1, 1, 1, 1, 1]);
    const grad = stockAndNative(
      'MaxPool3DGrad',
      { dy, input: x },
      { filterSize: 2, strides: 2, pad: 'valid' },
    );
    expect([...grad.native]).toEqual([0, 0.5, 0, 0, 0, 0, 0, 0]);
  });

  it('breaks ties in non-overlapping windows like the stock kernel (last maximum in scan order)', () => {
    const random = prng(2500);
    const shape = [2, 6, 6, 6, 3];
    const size = shape.reduce((a, b) => a * b, 1);
    // Values from {0, 1, 2}: most 2×2×2 windows hold a tied maximum.
    const input = tensor5d(
      Float32Array.from({ length: size }, () => Math.floor(random() * 3)),
      shape as [number, number, number, number, number],
    );
    const dy = randomTensor([2, 3, 3, 3, 3], random);
    const attrs = { filterSize: 2, strides: 2, pad: 'valid' };
    const { stock, native } = stockAndNative('MaxPool3DGrad', { dy, input }, attrs);
    expect([...native]).toEqual([...stock]);
  });

  for (const [i, c] of CASES.entries()) {
    const random = prng(2000 + i);
    const xShape = [c.batch, ...c.size, c.channels] as [number, number, number, number, number];
    const attrs = { filterSize: c.window, strides: c.strides, pad: c.pad, dataFormat: 'NDHWC' };

    it(`MaxPool3D ${label(c)}`, () => {
      const x = randomTensor(xShape, random);
      const { stock, native } = stockAndNative('MaxPool3D', { x }, attrs);
      expect(relativeError(native, stock)).toBeLessThanOrEqual(1e-5);
      expect(nativeFallbacks().has('MaxPool3D')).toBe(false);
    });

    it(`MaxPool3DGrad ${label(c)}`, () => {
      const info = backend_util.computePool3DInfo(xShape, c.window, c.strides, 1, c.pad);
      const input = randomTensor(xShape, random);
      const dy = randomTensor(info.outShape, random);
      const { stock, native } = stockAndNative('MaxPool3DGrad', { dy, input }, attrs);
      const p = info.padInfo;
      const reference =
        c.window[1] === c.window[2]
          ? stock
          : referenceMaxPoolGrad(
              input.dataSync() as Float32Array,
              dy.dataSync() as Float32Array,
              xShape,
              info.outShape,
              c.window,
              c.strides,
              [p.front, p.top, p.left],
            );
      expect(relativeError(native, reference)).toBeLessThanOrEqual(1e-5);
      expect(nativeFallbacks().has('MaxPool3DGrad')).toBe(false);
    });
  }
});
