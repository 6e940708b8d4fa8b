import '@tensorflow/tfjs-backend-cpu';
// Registers tfjs's gradients, as a model-training program does.
import '@tensorflow/tfjs-layers';
import {
  engine,
  getGradient,
  grad,
  leakyRelu,
  mul,
  setBackend,
  sum,
  type Tensor,
  tensor,
} from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { LEAKY_RELU_GRAD_KERNEL } from './leaky-relu-grad.js';
import { registerCpuKernels, unregisterCpuKernels } from './register.js';
import { nativeTestsEnabled, prng, randomTensor } from './test-helpers.js';

const ALPHA = 0.3;

/** d/dx Σ dy·leakyRelu(x) through tfjs's gradient machinery. */
function inputGradient(x: Tensor, dy: Tensor): Float32Array {
  const g = grad((v: Tensor) => sum(mul(leakyRelu(v, ALPHA), dy)))(x);
  const values = g.dataSync() as Float32Array;
  g.dispose();
  return values;
}

describe.skipIf(!nativeTestsEnabled)("LeakyReLU's native gradient", () => {
  beforeAll(async () => {
    await setBackend('cpu');
  });

  for (const shape of [[7], [2, 5, 6, 7, 4], [2, 24, 24, 24, 8]]) {
    it(`equals tfjs's gradient bit for bit and a float64 reference, shape [${shape}]`, () => {
      const random = prng(shape.length * 17);
      const x = randomTensor(shape, random);
      const dy = randomTensor(shape, random);
      unregisterCpuKernels();
      const stock = inputGradient(x, dy);
      registerCpuKernels();
      const native = inputGradient(x, dy);
      expect([...native]).toEqual([...stock]);
      const xs = x.dataSync();
      const dys = dy.dataSync();
      const alpha32 = Math.fround(ALPHA);
      const reference = Float64Array.from(xs, (v, i) =>
        v > 0 ? (dys[i] as number) : (dys[i] as number) * alpha32,
      );
      for (let i = 0; i < reference.length; i++) {
        expect(native[i]).toBe(Math.fround(reference[i] as number));
      }
    });
  }

  it('matches central differences away from the kink, and gives α·dy at 0 and for NaN', () => {
    const xs = [-2, -0.5, 0.25, 3, 0, Number.NaN];
    const dys = [1, -2, 0.5, 4, 2, 1];
    registerCpuKernels();
    const native = inputGradient(tensor(xs), tensor(dys));
    const f = (v: number) => (v > 0 ? v : ALPHA * v);
    for (let i = 0; i < 4; i++) {
      const h = 1e-3;
      const x = xs[i] as number;
      const numeric = ((dys[i] as number) * (f(x + h) - f(x - h))) / (2 * h);
      expect(native[i]).toBeCloseTo(numeric, 5);
    }
    expect(native[4]).toBe(Math.fround(2 * Math.fround(ALPHA)));
    expect(native[5]).toBe(Math.fround(ALPHA));
  });

  it('rejects mismatched shapes, dtypes and a missing alpha', () => {
    registerCpuKernels();
    const run = (inputs: Record<string, Tensor>, attrs: Record<string, unknown>) =>
      engine().runKernel(LEAKY_RELU_GRAD_KERNEL, inputs, attrs as never);
    expect(() => run({ dy: tensor([1, 2]), x: tensor([1, 2, 3]) }, { alpha: 0.3 })).toThrow(
      /dy and x must have one shape, got \[2\] and \[3\]/,
    );
    expect(() =>
      run({ dy: tensor([1, 2]), x: tensor([1, 2], [2], 'int32') }, { alpha: 0.3 }),
    ).toThrow(/must be float32, got float32 and int32/);
    expect(() => run({ dy: tensor([1]), x: tensor([1]) }, {})).toThrow(
      /attr alpha must be a finite number, got undefined/,
    );
  });

  it("puts tfjs's own gradient back on unregister", () => {
    unregisterCpuKernels();
    const stock = getGradient('LeakyRelu');
    registerCpuKernels();
    expect(getGradient('LeakyRelu')).not.toBe(stock);
    unregisterCpuKernels();
    expect(getGradient('LeakyRelu')).toBe(stock);
    registerCpuKernels();
  });
});
