import '@tensorflow/tfjs-backend-cpu';
import {
  engine,
  grad,
  type KernelFunc,
  mul,
  registerKernel,
  setBackend,
  sum,
  type Tensor,
  type Tensor5D,
  type TensorInfo,
  tensor,
  tidy,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { prng } from '../../../../tooling/testing/prng.js';
import { upSampling3d } from './up-sampling-3d.js';
import {
  fusedUpSampling3d,
  fusedUpSampling3dAvailable,
  UP_SAMPLING_3D_GRAD_KERNEL,
  UP_SAMPLING_3D_KERNEL,
} from './up-sampling-kernel.js';
import '../register.js';

/**
 * Float64 JavaScript kernels of the contract, standing in for a backend's native ones, so the
 * layer's kernel path and the registered gradient are checked without a native backend.
 */
const calls = { forward: 0, backward: 0 };

function values(t: TensorInfo): Float64Array {
  return Float64Array.from(engine().readSync(t.dataId) as Float32Array);
}

const forward: KernelFunc = ({ inputs, attrs }) => {
  calls.forward++;
  const x = (inputs as { x: TensorInfo }).x;
  const [sd, sh, sw] = (attrs as { size: number[] }).size as [number, number, number];
  const [b, d, h, w, c] = x.shape as [number, number, number, number, number];
  const xs = values(x);
  const shape = [b, d * sd, h * sh, w * sw, c];
  const y = new Float64Array(xs.length * sd * sh * sw);
  let i = 0;
  for (let n = 0; n < b; n++)
    for (let z = 0; z < d * sd; z++)
      for (let r = 0; r < h * sh; r++)
        for (let q = 0; q < w * sw; q++)
          for (let k = 0; k < c; k++) {
            const from =
              (((n * d + Math.floor(z / sd)) * h + Math.floor(r / sh)) * w + Math.floor(q / sw)) *
                c +
              k;
            y[i++] = xs[from] as number;
          }
  return tensor(Float32Array.from(y), shape) as unknown as TensorInfo;
};

const backward: KernelFunc = ({ inputs, attrs }) => {
  calls.backward++;
  const dy = (inputs as { dy: TensorInfo }).dy;
  const [sd, sh, sw] = (attrs as { size: number[] }).size as [number, number, number];
  const [b, od, oh, ow, c] = dy.shape as [number, number, number, number, number];
  const [d, h, w] = [od / sd, oh / sh, ow / sw];
  const dys = values(dy);
  const dx = new Float64Array(b * d * h * w * c);
  let i = 0;
  for (let n = 0; n < b; n++)
    for (let z = 0; z < od; z++)
      for (let r = 0; r < oh; r++)
        for (let q = 0; q < ow; q++)
          for (let k = 0; k < c; k++) {
            const to =
              (((n * d + Math.floor(z / sd)) * h + Math.floor(r / sh)) * w + Math.floor(q / sw)) *
                c +
              k;
            dx[to] = (dx[to] as number) + (dys[i++] as number);
          }
  return tensor(Float32Array.from(dx), [b, d, h, w, c]) as unknown as TensorInfo;
};

function register(): void {
  registerKernel({ kernelName: UP_SAMPLING_3D_KERNEL, backendName: 'cpu', kernelFunc: forward });
  registerKernel({
    kernelName: UP_SAMPLING_3D_GRAD_KERNEL,
    backendName: 'cpu',
    kernelFunc: backward,
  });
}

function unregister(): void {
  for (const name of [UP_SAMPLING_3D_KERNEL, UP_SAMPLING_3D_GRAD_KERNEL]) {
    try {
      unregisterKernel(name, 'cpu');
    } catch {
      // not registered
    }
  }
}

function random(shape: number[], seed: number): Tensor {
  const next = prng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(
    Float32Array.from({ length: n }, () => next() * 2 - 1),
    shape,
  );
}

/** The layer's output and the gradient of Σ y·w for x. */
function step(size: [number, number, number], x: Tensor, w: Tensor) {
  const layer = upSampling3d({ size });
  const y = tidy(() => (layer.apply(x) as Tensor).dataSync() as Float32Array);
  const dx = tidy(
    () => grad((t: Tensor) => sum(mul(layer.apply(t) as Tensor, w)))(x).dataSync() as Float32Array,
  );
  return { y, dx };
}

describe('the up-sampling kernel contract', () => {
  beforeAll(async () => {
    await setBackend('cpu');
  });
  afterEach(unregister);

  it('is unavailable until a backend registers both kernels', () => {
    expect(fusedUpSampling3dAvailable()).toBe(false);
    registerKernel({ kernelName: UP_SAMPLING_3D_KERNEL, backendName: 'cpu', kernelFunc: forward });
    expect(fusedUpSampling3dAvailable()).toBe(false);
    registerKernel({
      kernelName: UP_SAMPLING_3D_GRAD_KERNEL,
      backendName: 'cpu',
      kernelFunc: backward,
    });
    expect(fusedUpSampling3dAvailable()).toBe(true);
  });

  for (const size of [
    [2, 2, 2],
    [1, 3, 2],
  ] as Array<[number, number, number]>) {
    it(`UpSampling3D size [${size}] calls the kernels and matches the tfjs-ops path`, () => {
      const x = random([2, 3, 2, 4, 3], 41);
      const w = random([2, 3 * size[0], 2 * size[1], 4 * size[2], 3], 42);
      const ops = step(size, x, w);
      register();
      calls.forward = 0;
      calls.backward = 0;
      const fused = step(size, x, w);
      // One forward for the output, one forward and one backward for the gradient.
      expect(calls).toEqual({ forward: 2, backward: 1 });
      expect(fused.y).toEqual(ops.y);
      for (const [i, v] of ops.dx.entries()) expect(fused.dx[i]).toBeCloseTo(v, 5);
    });
  }

  it('rejects input that is not rank 5 and sizes that are not three positive integers', () => {
    register();
    expect(() =>
      fusedUpSampling3d(random([2, 2, 2, 2], 51) as Tensor5D, { size: [2, 2, 2] }),
    ).toThrow(/x must be \[batch, D, H, W, C\], got shape \[2, 2, 2, 2\]/);
    const x = random([1, 2, 2, 2, 1], 52) as Tensor5D;
    expect(() => fusedUpSampling3d(x, { size: [2, 0, 2] })).toThrow(
      /size must be three positive integers, got \[2,0,2\]/,
    );
    expect(() =>
      fusedUpSampling3d(x, { size: [2, 2] as unknown as [number, number, number] }),
    ).toThrow(/size must be three positive integers/);
  });
});
