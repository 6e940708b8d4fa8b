import '@tensorflow/tfjs-backend-cpu';
import * as models from '@rpdl/models-3d';
import {
  engine,
  grad,
  mul,
  type NamedAttrMap,
  setBackend,
  sum,
  type Tensor,
  tensor,
  tidy,
} from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNativeAddon } from './native-binding.js';
import { registerCpuKernels, unregisterCpuKernels } from './register.js';
import { nativeTestsEnabled, prng, relativeError } from './test-helpers.js';
import { UP_SAMPLING_3D_GRAD_KERNEL, UP_SAMPLING_3D_KERNEL } from './up-sampling-kernels.js';

type Shape5 = [number, number, number, number, number];
type Size = [number, number, number];

/** Index of y's voxel (b, z, r, q, k) in x under nearest-neighbour up-sampling. */
function sourceIndex(shape: Shape5, size: Size, b: number, z: number, r: number, q: number) {
  const [, d, h, w, c] = shape;
  return (
    (((b * d + Math.floor(z / size[0])) * h + Math.floor(r / size[1])) * w +
      Math.floor(q / size[2])) *
    c
  );
}

/** Visits every output voxel's channel in order with the index of its source element. */
function eachOutput(shape: Shape5, size: Size, visit: (out: number, from: number) => void) {
  const [b, d, h, w, c] = shape;
  let out = 0;
  for (let n = 0; n < b; n++)
    for (let z = 0; z < d * size[0]; z++)
      for (let r = 0; r < h * size[1]; r++)
        for (let q = 0; q < w * size[2]; q++) {
          const from = sourceIndex(shape, size, n, z, r, q);
          for (let k = 0; k < c; k++) visit(out++, from + k);
        }
}

/** Float64 references of the contract: forward copies, backward sums over each block. */
function referenceForward(x: ArrayLike<number>, shape: Shape5, size: Size): Float64Array {
  const y = new Float64Array(x.length * size[0] * size[1] * size[2]);
  eachOutput(shape, size, (out, from) => {
    y[out] = x[from] as number;
  });
  return y;
}

function referenceBackward(dy: ArrayLike<number>, shape: Shape5, size: Size): Float64Array {
  const dx = new Float64Array(shape.reduce((a, b) => a * b, 1));
  eachOutput(shape, size, (out, from) => {
    dx[from] = (dx[from] as number) + (dy[out] as number);
  });
  return dx;
}

/** Values in [-1, 1) on a 1/256 grid, so sums and small steps are exact in float32 and double. */
function gridValues(n: number, random: () => number): Float32Array {
  return Float32Array.from({ length: n }, () => Math.floor(random() * 512 - 256) / 256);
}

function run(kernel: string, input: Record<string, Tensor>, attrs: NamedAttrMap) {
  const out = engine().runKernel(kernel, input, attrs) as Tensor;
  const result = { values: out.dataSync() as Float32Array, shape: out.shape };
  out.dispose();
  return result;
}

const upShape = (shape: Shape5, size: Size): Shape5 => [
  shape[0],
  shape[1] * size[0],
  shape[2] * size[1],
  shape[3] * size[2],
  shape[4],
];

const CASES: Array<{ label: string; shape: Shape5; size: Size }> = [
  { label: '2×2×2, one sample', shape: [1, 2, 3, 4, 2], size: [2, 2, 2] },
  { label: 'mixed factors with a unit axis', shape: [2, 3, 2, 5, 3], size: [1, 3, 2] },
  { label: 'a single voxel', shape: [1, 1, 1, 1, 1], size: [3, 1, 2] },
  // Large enough to run on several threads.
  { label: 'multi-threaded', shape: [2, 16, 16, 16, 8], size: [2, 2, 2] },
];

describe('up-sampling kernel names', () => {
  it("are @rpdl/models-3d's contract names", () => {
    expect(UP_SAMPLING_3D_KERNEL).toBe(models.UP_SAMPLING_3D_KERNEL);
    expect(UP_SAMPLING_3D_GRAD_KERNEL).toBe(models.UP_SAMPLING_3D_GRAD_KERNEL);
  });
});

describe.skipIf(!nativeTestsEnabled)('the native up-sampling kernels', () => {
  beforeAll(async () => {
    await setBackend('cpu');
    expect(registerCpuKernels().registered).toBe(true);
  });
  afterAll(() => {
    registerCpuKernels();
  });

  for (const [i, c] of CASES.entries()) {
    it(`forward equals the float64 reference: ${c.label}`, () => {
      const x = gridValues(
        c.shape.reduce((a, b) => a * b, 1),
        prng(900 + i),
      );
      const y = run(UP_SAMPLING_3D_KERNEL, { x: tensor(x, c.shape) }, { size: c.size });
      expect(y.shape).toEqual(upShape(c.shape, c.size));
      expect(Array.from(y.values)).toEqual(Array.from(referenceForward(x, c.shape, c.size)));
    });

    it(`backward matches the float64 reference: ${c.label}`, () => {
      const out = upShape(c.shape, c.size);
      const dy = Float32Array.from(
        { length: out.reduce((a, b) => a * b, 1) },
        (() => {
          const random = prng(950 + i);
          return () => random() * 2 - 1;
        })(),
      );
      const dx = run(UP_SAMPLING_3D_GRAD_KERNEL, { dy: tensor(dy, out) }, { size: c.size });
      expect(dx.shape).toEqual(c.shape);
      expect(relativeError(dx.values, referenceBackward(dy, c.shape, c.size))).toBeLessThan(1e-6);
    });
  }

  it('backward matches central differences of the native forward', () => {
    const shape: Shape5 = [1, 2, 2, 3, 2];
    const size: Size = [2, 1, 3];
    const out = upShape(shape, size);
    const x = gridValues(24, prng(981));
    const w = gridValues(
      out.reduce((a, b) => a * b, 1),
      prng(982),
    );
    // L(x) = Σ w·up(x), evaluated in double from the kernel's own output.
    const loss = (xs: Float32Array) => {
      const y = run(UP_SAMPLING_3D_KERNEL, { x: tensor(xs, shape) }, { size }).values;
      let s = 0;
      for (let i = 0; i < y.length; i++) s += (y[i] as number) * (w[i] as number);
      return s;
    };
    const step = 1 / 64;
    const numeric = Array.from(x, (_, i) => {
      const plus = Float32Array.from(x);
      const minus = Float32Array.from(x);
      plus[i] = (plus[i] as number) + step;
      minus[i] = (minus[i] as number) - step;
      return (loss(plus) - loss(minus)) / (2 * step);
    });
    const dx = run(UP_SAMPLING_3D_GRAD_KERNEL, { dy: tensor(w, out) }, { size }).values;
    expect(relativeError(dx, numeric)).toBeLessThan(1e-6);
  });

  it('UpSampling3D on the native kernels matches its tfjs-ops path (output and gradient)', () => {
    const shape: Shape5 = [2, 4, 3, 5, 6];
    const size: Size = [2, 2, 2];
    const random = prng(990);
    const x = tensor(
      Float32Array.from({ length: 720 }, () => random() * 2 - 1),
      shape,
    );
    const outShape = upShape(shape, size);
    const w = tensor(
      Float32Array.from({ length: 720 * 8 }, () => random() * 2 - 1),
      outShape,
    );
    const layer = models.upSampling3d({ size });
    const pass = () => ({
      fused: models.fusedUpSampling3dAvailable(),
      y: tidy(() => (layer.apply(x) as Tensor).dataSync() as Float32Array),
      dx: tidy(
        () =>
          grad((t: Tensor) => sum(mul(layer.apply(t) as Tensor, w)))(x).dataSync() as Float32Array,
      ),
    });
    unregisterCpuKernels();
    const ops = pass();
    registerCpuKernels();
    const native = pass();
    expect([ops.fused, native.fused]).toEqual([false, true]);
    expect(Array.from(native.y)).toEqual(Array.from(ops.y));
    expect(relativeError(native.dx, ops.dx)).toBeLessThan(1e-6);
  });

  it('rejects bad inputs and attrs with the reason', () => {
    const x = tensor(new Float32Array(8), [1, 2, 2, 2, 1]);
    const size = { size: [2, 2, 2] };
    expect(() =>
      run(UP_SAMPLING_3D_KERNEL, { x: tensor(new Float32Array(8), [2, 2, 2]) }, size),
    ).toThrow(/x must be a non-empty \[batch, D, H, W, C\] volume, got shape \[2, 2, 2\]/);
    expect(() =>
      run(UP_SAMPLING_3D_KERNEL, { x: tensor(new Int32Array(8), [1, 2, 2, 2, 1], 'int32') }, size),
    ).toThrow(/x must be float32, got int32/);
    expect(() => run(UP_SAMPLING_3D_KERNEL, { x }, { size: [2, 2] })).toThrow(
      /attr size must be three positive integers \[s_d, s_h, s_w\], got \[2,2\]/,
    );
    expect(() => run(UP_SAMPLING_3D_KERNEL, { x }, { size: [2, 1.5, 2] })).toThrow(
      /attr size must be three positive integers/,
    );
    expect(() => run(UP_SAMPLING_3D_KERNEL, { x }, {})).toThrow(/attr size must be/);
    expect(() => run(UP_SAMPLING_3D_GRAD_KERNEL, { dy: x }, { size: [3, 1, 1] })).toThrow(
      /dy's spatial shape \[2, 2, 2\] must be a multiple of size \[3, 1, 1\]/,
    );
    expect(() => run(UP_SAMPLING_3D_GRAD_KERNEL, { dy: x }, { size: [1, 1, 3] })).toThrow(
      /must be a multiple of size \[1, 1, 3\]/,
    );
    expect(() => run(UP_SAMPLING_3D_GRAD_KERNEL, {}, size)).toThrow(/input dy is required/);
  });

  it('the addon checks array lengths and sizes itself', () => {
    const { addon } = loadNativeAddon();
    if (!addon) throw new Error('addon expected');
    expect(() =>
      addon.upSampling3dForward(new Float32Array(8), new Float32Array(63), 1, 2, 2, 2, 1, 2, 2, 2),
    ).toThrow(/y has 63 elements, expected 64/);
    expect(() =>
      addon.upSampling3dBackward(new Float32Array(64), new Float32Array(8), 1, 2, 2, 2, 1, 2, 0, 2),
    ).toThrow(/sizes and factors must be positive integers/);
    expect(() =>
      addon.upSampling3dBackward(new Float32Array(64), new Float32Array(7), 1, 2, 2, 2, 1, 2, 2, 2),
    ).toThrow(/dx has 7 elements, expected 8/);
  });
});
