import '@tensorflow/tfjs-backend-cpu';
import { backend_util, setBackend } from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convGeometry } from './conv3d-kernels.js';
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
  inC: number;
  outC: number;
  kernel: V3;
  strides: V3;
  pad: 'same' | 'valid';
  dilations?: V3;
}

// Odd and even sizes, both paddings, strides 1 and 2 (also mixed per axis), batch 1–3, channels 1–64.
const CASES: Case[] = [
  {
    batch: 1,
    size: [5, 5, 5],
    inC: 1,
    outC: 1,
    kernel: [3, 3, 3],
    strides: [1, 1, 1],
    pad: 'same',
  },
  {
    batch: 2,
    size: [7, 6, 5],
    inC: 3,
    outC: 4,
    kernel: [3, 3, 3],
    strides: [2, 2, 2],
    pad: 'same',
  },
  {
    batch: 3,
    size: [9, 7, 8],
    inC: 4,
    outC: 8,
    kernel: [3, 2, 3],
    strides: [2, 1, 2],
    pad: 'valid',
  },
  {
    batch: 1,
    size: [7, 7, 7],
    inC: 16,
    outC: 5,
    kernel: [3, 3, 3],
    strides: [1, 1, 1],
    pad: 'valid',
  },
  {
    batch: 2,
    size: [5, 6, 7],
    inC: 64,
    outC: 16,
    kernel: [3, 3, 3],
    strides: [1, 1, 1],
    pad: 'same',
  },
  {
    batch: 1,
    size: [5, 5, 5],
    inC: 8,
    outC: 64,
    kernel: [3, 3, 3],
    strides: [2, 2, 2],
    pad: 'valid',
  },
  {
    batch: 2,
    size: [6, 6, 6],
    inC: 4,
    outC: 4,
    kernel: [2, 2, 2],
    strides: [2, 2, 2],
    pad: 'same',
  },
  {
    batch: 1,
    size: [9, 9, 9],
    inC: 2,
    outC: 3,
    kernel: [1, 1, 1],
    strides: [2, 2, 2],
    pad: 'same',
  },
  {
    batch: 1,
    size: [8, 9, 7],
    inC: 3,
    outC: 2,
    kernel: [3, 3, 3],
    strides: [1, 1, 1],
    pad: 'same',
    dilations: [2, 2, 2],
  },
  {
    batch: 2,
    size: [9, 9, 9],
    inC: 1,
    outC: 2,
    kernel: [3, 3, 3],
    strides: [1, 1, 1],
    pad: 'valid',
    dilations: [1, 2, 3],
  },
];

const label = (c: Case) =>
  `b${c.batch} ${c.size.join('x')} ${c.inC}->${c.outC} k${c.kernel.join('')} s${c.strides.join('')} ${c.pad}${
    c.dilations ? ` d${c.dilations.join('')}` : ''
  }`;

describe('convGeometry', () => {
  it("puts 'same' padding's odd extra voxel after, as tfjs does", () => {
    // in 8, k 3, s 2 -> out 4; total pad = (4-1)*2 + 3 - 8 = 1: 0 before, 1 after.
    const info = backend_util.computeConv3DInfo([1, 8, 8, 8, 1], [3, 3, 3, 1, 1], 2, 1, 'same');
    expect(convGeometry(info)).toEqual({
      strides: [2, 2, 2],
      dilations: [1, 1, 1],
      padBefore: [0, 0, 0],
      padAfter: [1, 1, 1],
    });
  });
});

// oneDNN's blocked layouts ('any') and channels-last ('nxc') take different code paths; the
// default times both per shape and keeps the faster, so each is checked on its own too.
describe.skipIf(!nativeTestsEnabled).each(['any', 'nxc', 'tuned'])(
  'native Conv3D kernels (%s layout) match the stock cpu kernels',
  (layout) => {
    beforeAll(async () => {
      await setBackend('cpu');
      if (layout === 'tuned') delete process.env.RPDL_CPU_KERNELS_LAYOUT;
      else process.env.RPDL_CPU_KERNELS_LAYOUT = layout;
    });
    afterAll(() => {
      delete process.env.RPDL_CPU_KERNELS_LAYOUT;
    });

    for (const [i, c] of CASES.entries()) {
      const random = prng(1000 + i);
      const xShape = [c.batch, ...c.size, c.inC];
      const wShape = [...c.kernel, c.inC, c.outC];

      it(`Conv3D ${label(c)}`, () => {
        const x = randomTensor(xShape, random);
        const filter = randomTensor(wShape, random);
        const attrs = {
          strides: c.strides,
          pad: c.pad,
          dataFormat: 'NDHWC',
          dilations: c.dilations ?? [1, 1, 1],
        };
        const { stock, native } = stockAndNative('Conv3D', { x, filter }, attrs);
        expect(relativeError(native, stock)).toBeLessThanOrEqual(1e-5);
        expect(nativeFallbacks().has('Conv3D')).toBe(false);
      });

      if (c.dilations) continue; // tfjs's convolution gradients have no dilation
      const info = backend_util.computeConv3DInfo(
        xShape as [number, number, number, number, number],
        wShape as [number, number, number, number, number],
        c.strides,
        1,
        c.pad,
      );

      it(`Conv3DBackpropInputV2 ${label(c)}`, () => {
        const dy = randomTensor(info.outShape, random);
        const filter = randomTensor(wShape, random);
        const attrs = { strides: c.strides, pad: c.pad, inputShape: xShape };
        const { stock, native } = stockAndNative('Conv3DBackpropInputV2', { dy, filter }, attrs);
        expect(relativeError(native, stock)).toBeLessThanOrEqual(1e-5);
        expect(nativeFallbacks().has('Conv3DBackpropInputV2')).toBe(false);
      });

      it(`Conv3DBackpropFilterV2 ${label(c)}`, () => {
        const x = randomTensor(xShape, random);
        const dy = randomTensor(info.outShape, random);
        const attrs = { strides: c.strides, pad: c.pad, filterShape: wShape };
        const { stock, native } = stockAndNative('Conv3DBackpropFilterV2', { x, dy }, attrs);
        expect(relativeError(native, stock)).toBeLessThanOrEqual(1e-5);
        expect(nativeFallbacks().has('Conv3DBackpropFilterV2')).toBe(false);
      });
    }
  },
);
