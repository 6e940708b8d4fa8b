import '@tensorflow/tfjs-backend-cpu';
import * as models from '@rpdl/models-3d';
import {
  engine,
  getKernel,
  mul,
  type NamedAttrMap,
  type Scalar,
  setBackend,
  sum,
  type Tensor,
  tensor,
  variableGrads,
} from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_NORM_GRAD_KERNEL, CHANNEL_NORM_KERNEL } from './channel-norm-kernels.js';
import { registerCpuKernels, unregisterCpuKernels } from './register.js';
import { nativeTestsEnabled, prng, relativeError } from './test-helpers.js';

interface Layout {
  blocks: number;
  rows: number;
  channels: number;
  groups: number;
}

const EPSILON = 1e-3;

/** Float64 reference of the forward contract: y, mean and biased variance per block and group. */
function referenceForward(x: Float64Array, gamma: Float64Array, beta: Float64Array, l: Layout) {
  const per = l.channels / l.groups;
  const mean = new Float64Array(l.blocks * l.groups);
  const variance = new Float64Array(l.blocks * l.groups);
  const y = new Float64Array(x.length);
  const at = (b: number, r: number, c: number) => (b * l.rows + r) * l.channels + c;
  for (let b = 0; b < l.blocks; b++) {
    for (let g = 0; g < l.groups; g++) {
      let s = 0;
      for (let r = 0; r < l.rows; r++)
        for (let c = g * per; c < (g + 1) * per; c++) s += x[at(b, r, c)] as number;
      const mu = s / (l.rows * per);
      let q = 0;
      for (let r = 0; r < l.rows; r++)
        for (let c = g * per; c < (g + 1) * per; c++) q += ((x[at(b, r, c)] as number) - mu) ** 2;
      const v = q / (l.rows * per);
      mean[b * l.groups + g] = mu;
      variance[b * l.groups + g] = v;
      for (let r = 0; r < l.rows; r++)
        for (let c = g * per; c < (g + 1) * per; c++) {
          const i = at(b, r, c);
          y[i] =
            ((gamma[c] as number) * ((x[i] as number) - mu)) / Math.sqrt(v + EPSILON) +
            (beta[c] as number);
        }
    }
  }
  return { y, mean, variance };
}

function randomValues(n: number, random: () => number, offset = 0, spread = 1): Float32Array {
  return Float32Array.from({ length: n }, () => offset + spread * (random() * 2 - 1));
}

function run(kernel: string, inputs: Record<string, Tensor>, attrs: NamedAttrMap) {
  const out = engine().runKernel(kernel, inputs, attrs) as Tensor[];
  const values = out.map((t) => t.dataSync() as Float32Array);
  for (const t of out) t.dispose();
  return values;
}

const LAYOUTS: Array<Layout & { label: string }> = [
  { label: 'batch norm, 4 channels', blocks: 1, rows: 2 * 6 * 6 * 6, channels: 4, groups: 4 },
  { label: 'batch norm, 1 channel', blocks: 1, rows: 50, channels: 1, groups: 1 },
  { label: 'group norm, 2 samples, 2 groups of 4', blocks: 2, rows: 125, channels: 8, groups: 2 },
  { label: 'group norm, 3 samples, 1 group', blocks: 3, rows: 27, channels: 6, groups: 1 },
  // Large enough to run on several threads.
  { label: 'batch norm, multi-threaded', blocks: 1, rows: 2 * 24 ** 3, channels: 8, groups: 8 },
  { label: 'group norm, multi-threaded', blocks: 2, rows: 16 ** 3, channels: 32, groups: 8 },
];

describe('fused channel-norm kernel names', () => {
  it("are @rpdl/models-3d's contract names", () => {
    expect(CHANNEL_NORM_KERNEL).toBe(models.CHANNEL_NORM_KERNEL);
    expect(CHANNEL_NORM_GRAD_KERNEL).toBe(models.CHANNEL_NORM_GRAD_KERNEL);
  });
});

describe.skipIf(!nativeTestsEnabled)('the native fused channel-norm kernels', () => {
  beforeAll(async () => {
    await setBackend('cpu');
    expect(registerCpuKernels().registered).toBe(true);
  });

  for (const [i, l] of LAYOUTS.entries()) {
    it(`forward matches a float64 reference: ${l.label}`, () => {
      const random = prng(500 + i);
      const size = l.blocks * l.rows * l.channels;
      // A mean far from zero checks that the variance does not lose digits to cancellation.
      const x = randomValues(size, random, 3, 2);
      const gamma = randomValues(l.channels, random, 1, 0.5);
      const beta = randomValues(l.channels, random);
      const [y, mean, variance] = run(
        CHANNEL_NORM_KERNEL,
        {
          x: tensor(x, [l.blocks, l.rows, l.channels]),
          gamma: tensor(gamma),
          beta: tensor(beta),
        },
        { groups: l.groups, epsilon: EPSILON },
      );
      const ref = referenceForward(
        Float64Array.from(x),
        Float64Array.from(gamma),
        Float64Array.from(beta),
        l,
      );
      expect(relativeError(y as Float32Array, ref.y)).toBeLessThanOrEqual(1e-5);
      expect(relativeError(mean as Float32Array, ref.mean)).toBeLessThanOrEqual(1e-6);
      expect(relativeError(variance as Float32Array, ref.variance)).toBeLessThanOrEqual(1e-5);
    });
  }

  for (const [i, l] of LAYOUTS.slice(0, 4).entries()) {
    it(`backward matches central differences of the float64 forward: ${l.label}`, () => {
      const random = prng(700 + i);
      const size = l.blocks * l.rows * l.channels;
      const x = randomValues(size, random, 0.5);
      const gamma = randomValues(l.channels, random, 1, 0.5);
      const beta = randomValues(l.channels, random);
      const dy = randomValues(size, random);
      const [, mean, variance] = run(
        CHANNEL_NORM_KERNEL,
        {
          x: tensor(x, [l.blocks, l.rows, l.channels]),
          gamma: tensor(gamma),
          beta: tensor(beta),
        },
        { groups: l.groups, epsilon: EPSILON },
      );
      const [dx, dgamma, dbeta] = run(
        CHANNEL_NORM_GRAD_KERNEL,
        {
          dy: tensor(dy, [l.blocks, l.rows, l.channels]),
          x: tensor(x, [l.blocks, l.rows, l.channels]),
          mean: tensor(mean as Float32Array, [l.blocks, l.groups]),
          variance: tensor(variance as Float32Array, [l.blocks, l.groups]),
          gamma: tensor(gamma),
        },
        { groups: l.groups, epsilon: EPSILON },
      );
      // L = Σ dy·y(x, γ, β) in float64; ∂L/∂v by central differences for every input.
      const loss = (xs: Float64Array, gs: Float64Array, bs: Float64Array) =>
        referenceForward(xs, gs, bs, l).y.reduce((s, v, j) => s + v * (dy[j] as number), 0);
      const numeric = (which: 0 | 1 | 2, n: number) => {
        const h = 1e-5;
        const out = new Float64Array(n);
        const base = [Float64Array.from(x), Float64Array.from(gamma), Float64Array.from(beta)];
        for (let j = 0; j < n; j++) {
          const plus = base.map((a) => a.slice());
          const minus = base.map((a) => a.slice());
          (plus[which] as Float64Array)[j] = (base[which] as Float64Array)[j]! + h;
          (minus[which] as Float64Array)[j] = (base[which] as Float64Array)[j]! - h;
          out[j] =
            (loss(...(plus as [Float64Array, Float64Array, Float64Array])) -
              loss(...(minus as [Float64Array, Float64Array, Float64Array]))) /
            (2 * h);
        }
        return out;
      };
      // Every element of small layouts, the first 200 of larger ones.
      const checked = Math.min(size, 200);
      expect(
        relativeError((dx as Float32Array).subarray(0, checked), numeric(0, checked)),
      ).toBeLessThanOrEqual(1e-4);
      expect(relativeError(dgamma as Float32Array, numeric(1, l.channels))).toBeLessThanOrEqual(
        1e-4,
      );
      expect(relativeError(dbeta as Float32Array, numeric(2, l.channels))).toBeLessThanOrEqual(
        1e-4,
      );
    });
  }

  it('rejects malformed calls with the offending value', () => {
    const x = tensor(new Float32Array(24), [2, 3, 4]);
    const gamma = tensor(new Float32Array(4));
    const beta = tensor(new Float32Array(4));
    expect(() =>
      run(CHANNEL_NORM_KERNEL, { x, gamma, beta }, { groups: 3, epsilon: 1e-3 }),
    ).toThrow(/groups must be a positive integer dividing the 4 channels, got 3/);
    expect(() => run(CHANNEL_NORM_KERNEL, { x, gamma, beta }, { groups: 2, epsilon: 0 })).toThrow(
      /epsilon must be a number > 0, got 0/,
    );
    expect(() =>
      run(
        CHANNEL_NORM_KERNEL,
        { x: tensor([1, 2, 3, 4], [1, 4]), gamma, beta },
        { groups: 2, epsilon: 1e-3 },
      ),
    ).toThrow(/x must be \[blocks, rows, channels\], got shape \[1, 4\]/);
    expect(() =>
      run(CHANNEL_NORM_KERNEL, { x, gamma: tensor([1, 2]), beta }, { groups: 2, epsilon: 1e-3 }),
    ).toThrow(/gamma must have shape \[4\], got \[2\]/);
    expect(() =>
      run(
        CHANNEL_NORM_GRAD_KERNEL,
        { dy: x, x, mean: tensor([0, 0], [1, 2]), variance: tensor([1, 1], [1, 2]), gamma },
        { groups: 2, epsilon: 1e-3 },
      ),
    ).toThrow(/mean must have shape \[2, 2\], got \[1, 2\]/);
    expect(() =>
      run(
        CHANNEL_NORM_KERNEL,
        { x: tensor(new Int32Array(24), [2, 3, 4], 'int32'), gamma, beta },
        { groups: 2, epsilon: 1e-3 },
      ),
    ).toThrow(/x must be float32, got int32/);
  });

  it('is removed by unregisterCpuKernels and added back by registerCpuKernels', () => {
    unregisterCpuKernels();
    expect(getKernel(CHANNEL_NORM_KERNEL, 'cpu')).toBeUndefined();
    expect(models.fusedChannelNormAvailable()).toBe(false);
    registerCpuKernels();
    expect(getKernel(CHANNEL_NORM_GRAD_KERNEL, 'cpu')).toBeDefined();
    expect(models.fusedChannelNormAvailable()).toBe(true);
  });
});

/** Output, gradients (x, γ, β) and moving statistics of one training call of a layer. */
function layerStep(layer: 'batch' | 'group', x: Tensor, dy: Tensor, seed: number) {
  const random = prng(seed);
  const channels = x.shape[4] as number;
  const net =
    layer === 'batch'
      ? models.batchNormalization3d({ momentum: 0.5 })
      : models.groupNormalization({ groups: 2 });
  net.build(x.shape);
  // Non-trivial γ and β, the same for both paths.
  const [gammaVar, betaVar] = net.trainableWeights;
  gammaVar?.write(tensor(randomValues(channels, random, 1, 0.5)));
  betaVar?.write(tensor(randomValues(channels, random)));
  const xVar = engine().makeVariable(x.clone(), true, `x${seed}${layer}${Math.random()}`);
  let y: Float32Array | undefined;
  const { grads } = variableGrads(() => {
    const out = net.apply(xVar, { training: true }) as Tensor;
    y = out.dataSync() as Float32Array;
    return sum(mul(out, dy)) as Scalar;
  });
  const values = (t: Tensor | undefined) => {
    if (!t) throw new Error(`missing gradient; have ${Object.keys(grads).join(', ')}`);
    return t.dataSync() as Float32Array;
  };
  const result = {
    y: y as Float32Array,
    dx: values(grads[xVar.name]),
    dgamma: values(grads[gammaVar?.originalName ?? ''] ?? grads[gammaVar?.name ?? '']),
    dbeta: values(grads[betaVar?.originalName ?? ''] ?? grads[betaVar?.name ?? '']),
    moving: net.nonTrainableWeights.map((w) => w.read().dataSync() as Float32Array),
  };
  xVar.dispose();
  return result;
}

describe.skipIf(!nativeTestsEnabled)('models-3d normalisation layers on the fused kernels', () => {
  beforeAll(async () => {
    await setBackend('cpu');
  });

  for (const layer of ['batch', 'group'] as const) {
    it(`${layer} norm: output, gradients and moving statistics match the tfjs-ops path`, () => {
      const random = prng(layer === 'batch' ? 91 : 92);
      const shape = [2, 5, 6, 7, 8];
      const size = shape.reduce((a, b) => a * b, 1);
      const x = tensor(randomValues(size, random, 1, 2), shape);
      const dy = tensor(randomValues(size, random), shape);
      unregisterCpuKernels();
      expect(models.fusedChannelNormAvailable()).toBe(false);
      const ops = layerStep(layer, x, dy, 5);
      registerCpuKernels();
      expect(models.fusedChannelNormAvailable()).toBe(true);
      const fused = layerStep(layer, x, dy, 5);
      expect(relativeError(fused.y, ops.y)).toBeLessThanOrEqual(1e-5);
      expect(relativeError(fused.dx, ops.dx)).toBeLessThanOrEqual(1e-4);
      expect(relativeError(fused.dgamma, ops.dgamma)).toBeLessThanOrEqual(1e-4);
      expect(relativeError(fused.dbeta, ops.dbeta)).toBeLessThanOrEqual(1e-5);
      expect(fused.moving.length).toBe(layer === 'batch' ? 2 : 0);
      for (const [j, m] of fused.moving.entries()) {
        expect(relativeError(m, ops.moving[j] as Float32Array)).toBeLessThanOrEqual(1e-5);
      }
    });
  }
});
