import '@tensorflow/tfjs-backend-cpu';
import {
  engine,
  type KernelFunc,
  mul,
  registerKernel,
  type Scalar,
  setBackend,
  sum,
  type Tensor,
  type TensorInfo,
  tensor,
  unregisterKernel,
  variableGrads,
} from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { prng } from '../../../../tooling/testing/prng.js';
import { batchNormalization3d } from './batch-normalization-3d.js';
import {
  CHANNEL_NORM_GRAD_KERNEL,
  CHANNEL_NORM_KERNEL,
  fusedChannelNorm,
  fusedChannelNormAvailable,
} from './channel-norm-kernel.js';
import { groupNormalization } from './group-normalization.js';
import '../register.js';

/**
 * A float64 JavaScript implementation of the kernel contract, standing in for a backend's
 * native one, so the layers' fused path and the registered gradient are checked without it.
 */
const calls = { forward: 0, backward: 0 };

function values(t: TensorInfo): Float64Array {
  return Float64Array.from(engine().readSync(t.dataId) as Float32Array);
}

function statistics(x: Float64Array, shape: number[], groups: number) {
  const [blocks, rows, channels] = shape as [number, number, number];
  const per = channels / groups;
  const mean = new Float64Array(blocks * groups);
  const variance = new Float64Array(blocks * groups);
  for (let b = 0; b < blocks; b++)
    for (let g = 0; g < groups; g++) {
      let s = 0;
      let q = 0;
      for (let r = 0; r < rows; r++)
        for (let c = g * per; c < (g + 1) * per; c++) {
          const v = x[(b * rows + r) * channels + c] as number;
          s += v;
          q += v * v;
        }
      const n = rows * per;
      mean[b * groups + g] = s / n;
      variance[b * groups + g] = q / n - (s / n) ** 2;
    }
  return { mean, variance, per, blocks, rows, channels };
}

const forward: KernelFunc = ({ inputs, attrs }) => {
  calls.forward++;
  const { x, gamma, beta } = inputs as Record<string, TensorInfo>;
  const { groups, epsilon } = attrs as { groups: number; epsilon: number };
  const xs = values(x as TensorInfo);
  const gs = values(gamma as TensorInfo);
  const bs = values(beta as TensorInfo);
  const { mean, variance, per, rows, channels } = statistics(xs, (x as TensorInfo).shape, groups);
  const y = xs.map((v, i) => {
    const c = i % channels;
    const k = Math.floor(i / (rows * channels)) * groups + Math.floor(c / per);
    return (
      ((gs[c] as number) * (v - (mean[k] as number))) /
        Math.sqrt((variance[k] as number) + epsilon) +
      (bs[c] as number)
    );
  });
  const shape = [mean.length / groups, groups];
  return [
    tensor(Float32Array.from(y), (x as TensorInfo).shape),
    tensor(Float32Array.from(mean), shape),
    tensor(Float32Array.from(variance), shape),
  ] as unknown as TensorInfo[];
};

const backward: KernelFunc = ({ inputs, attrs }) => {
  calls.backward++;
  const { dy, x, mean, variance, gamma } = inputs as Record<string, TensorInfo>;
  const { groups, epsilon } = attrs as { groups: number; epsilon: number };
  const [blocks, rows, channels] = (x as TensorInfo).shape as [number, number, number];
  const per = channels / groups;
  const [dys, xs, ms, vs, gs] = [dy, x, mean, variance, gamma].map((t) => values(t as TensorInfo));
  const dx = new Float64Array(xs!.length);
  const dgamma = new Float64Array(channels);
  const dbeta = new Float64Array(channels);
  for (let b = 0; b < blocks; b++)
    for (let g = 0; g < groups; g++) {
      const k = b * groups + g;
      const inv = 1 / Math.sqrt(vs![k]! + epsilon);
      const at = (r: number, c: number) => (b * rows + r) * channels + c;
      let meanG = 0;
      let meanGX = 0;
      for (let r = 0; r < rows; r++)
        for (let c = g * per; c < (g + 1) * per; c++) {
          const xHat = (xs![at(r, c)]! - ms![k]!) * inv;
          const d = dys![at(r, c)]!;
          dbeta[c]! += d;
          dgamma[c]! += d * xHat;
          meanG += gs![c]! * d;
          meanGX += gs![c]! * d * xHat;
        }
      meanG /= rows * per;
      meanGX /= rows * per;
      for (let r = 0; r < rows; r++)
        for (let c = g * per; c < (g + 1) * per; c++) {
          const xHat = (xs![at(r, c)]! - ms![k]!) * inv;
          dx[at(r, c)] = inv * (gs![c]! * dys![at(r, c)]! - meanG - xHat * meanGX);
        }
    }
  return [
    tensor(Float32Array.from(dx), (x as TensorInfo).shape),
    tensor(Float32Array.from(dgamma)),
    tensor(Float32Array.from(dbeta)),
  ] as unknown as TensorInfo[];
};

function register(): void {
  registerKernel({ kernelName: CHANNEL_NORM_KERNEL, backendName: 'cpu', kernelFunc: forward });
  registerKernel({
    kernelName: CHANNEL_NORM_GRAD_KERNEL,
    backendName: 'cpu',
    kernelFunc: backward,
  });
}

function unregister(): void {
  for (const name of [CHANNEL_NORM_KERNEL, CHANNEL_NORM_GRAD_KERNEL]) {
    try {
      unregisterKernel(name, 'cpu');
    } catch {
      // not registered
    }
  }
}

function random(shape: number[], seed: number, offset = 0): Tensor {
  const next = prng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(
    Float32Array.from({ length: n }, () => offset + next() * 2 - 1),
    shape,
  );
}

function relative(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return diff / scale;
}

/** Output and gradients for x, γ, β of one training call. */
function step(kind: 'batch' | 'group', x: Tensor, dy: Tensor) {
  const layer = kind === 'batch' ? batchNormalization3d() : groupNormalization({ groups: 2 });
  layer.build(x.shape);
  const [gamma, beta] = layer.trainableWeights;
  gamma?.write(random([x.shape[4] as number], 3, 1));
  beta?.write(random([x.shape[4] as number], 4));
  const xv = engine().makeVariable(x.clone(), true, `x-${kind}-${calls.forward}-${Math.random()}`);
  let y: Float32Array = new Float32Array();
  const { grads } = variableGrads(() => {
    const out = layer.apply(xv, { training: true }) as Tensor;
    y = out.dataSync() as Float32Array;
    return sum(mul(out, dy)) as Scalar;
  });
  const get = (name: string | undefined) => grads[name ?? '']?.dataSync() as Float32Array;
  const result = {
    y,
    dx: get(xv.name),
    dgamma: get(gamma?.originalName) ?? get(gamma?.name),
    dbeta: get(beta?.originalName) ?? get(beta?.name),
    moving: layer.nonTrainableWeights.map((w) => w.read().dataSync() as Float32Array),
  };
  xv.dispose();
  return result;
}

describe('the fused channel-norm kernel contract', () => {
  beforeAll(async () => {
    await setBackend('cpu');
  });
  afterEach(unregister);

  it('is unavailable until a backend registers both kernels', () => {
    expect(fusedChannelNormAvailable()).toBe(false);
    registerKernel({ kernelName: CHANNEL_NORM_KERNEL, backendName: 'cpu', kernelFunc: forward });
    expect(fusedChannelNormAvailable()).toBe(false);
    registerKernel({
      kernelName: CHANNEL_NORM_GRAD_KERNEL,
      backendName: 'cpu',
      kernelFunc: backward,
    });
    expect(fusedChannelNormAvailable()).toBe(true);
  });

  for (const kind of ['batch', 'group'] as const) {
    it(`${kind} norm calls the registered kernels and matches the tfjs-ops path`, () => {
      const x = random([2, 3, 4, 5, 4], 11, 0.5);
      const dy = random([2, 3, 4, 5, 4], 12);
      const ops = step(kind, x, dy);
      register();
      calls.forward = 0;
      calls.backward = 0;
      const fused = step(kind, x, dy);
      expect(calls).toEqual({ forward: 1, backward: 1 });
      expect(relative(fused.y, ops.y)).toBeLessThan(1e-5);
      expect(relative(fused.dx, ops.dx)).toBeLessThan(1e-4);
      expect(relative(fused.dgamma, ops.dgamma)).toBeLessThan(1e-4);
      expect(relative(fused.dbeta, ops.dbeta)).toBeLessThan(1e-5);
      for (const [i, m] of fused.moving.entries()) {
        expect(relative(m, ops.moving[i] as Float32Array)).toBeLessThan(1e-5);
      }
    });
  }

  it('batch norm at inference uses the moving statistics, not the kernel', () => {
    register();
    calls.forward = 0;
    const layer = batchNormalization3d();
    const x = random([1, 2, 2, 2, 3], 21);
    layer.apply(x, { training: false });
    expect(calls.forward).toBe(0);
  });

  it('rejects groups that do not divide the channels and mismatched γ/β', () => {
    register();
    const x = random([1, 4, 6], 31) as never;
    const six = random([6], 32) as never;
    expect(() => fusedChannelNorm(x, six, six, { groups: 4, epsilon: 1e-3 })).toThrow(
      /groups must be a positive integer dividing the 6 channels, got 4/,
    );
    const three = random([3], 33) as never;
    expect(() => fusedChannelNorm(x, three, six, { groups: 2, epsilon: 1e-3 })).toThrow(
      /gamma and beta must have 6 elements, got 3 and 6/,
    );
  });
});
