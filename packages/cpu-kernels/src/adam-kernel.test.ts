import '@tensorflow/tfjs-backend-cpu';
import * as training from '@rpdl/training';
import {
  engine,
  type NamedAttrMap,
  setBackend,
  type Tensor,
  tensor,
  type Variable,
  variable,
} from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAM_UPDATE_KERNEL } from './adam-kernel.js';
import { loadNativeAddon } from './native-binding.js';
import { registerCpuKernels, unregisterCpuKernels } from './register.js';
import { nativeTestsEnabled, prng, relativeError } from './test-helpers.js';

interface Hyper {
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
  correction1: number;
  correction2: number;
}

/** The contract's update in float64. */
function reference(w: Float32Array, m: Float32Array, v: Float32Array, g: Float32Array, h: Hyper) {
  const n = w.length;
  const out = { w: new Float64Array(n), m: new Float64Array(n), v: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const gi = g[i] as number;
    const mi = h.beta1 * (m[i] as number) + (1 - h.beta1) * gi;
    const vi = h.beta2 * (v[i] as number) + (1 - h.beta2) * gi * gi;
    out.m[i] = mi;
    out.v[i] = vi;
    out.w[i] =
      (w[i] as number) -
      (h.learningRate * (mi / h.correction1)) / (Math.sqrt(vi / h.correction2) + h.epsilon);
  }
  return out;
}

function randomValues(n: number, random: () => number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => scale * (random() * 2 - 1));
}

const HYPER: Hyper = {
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-7,
  learningRate: 1e-3,
  correction1: 1 - 0.9 ** 3,
  correction2: 1 - 0.999 ** 3,
};

function update(inputs: Record<string, Tensor>, attrs: NamedAttrMap) {
  const out = engine().runKernel(ADAM_UPDATE_KERNEL, inputs, attrs) as Tensor[];
  const values = out.map((t) => t.dataSync() as Float32Array);
  for (const t of out) t.dispose();
  return values;
}

describe('fused Adam kernel name', () => {
  it("is @rpdl/training's contract name", () => {
    expect(ADAM_UPDATE_KERNEL).toBe(training.ADAM_UPDATE_KERNEL);
  });
});

describe.skipIf(!nativeTestsEnabled)('the native fused Adam update', () => {
  beforeAll(async () => {
    await setBackend('cpu');
    expect(registerCpuKernels().registered).toBe(true);
  });
  afterAll(() => {
    registerCpuKernels();
  });

  for (const [label, n] of [
    ['a small tensor', 7],
    ['a multi-threaded tensor', 3 * 3 * 3 * 64 * 64],
  ] as const) {
    it(`matches the float64 reference: ${label}`, () => {
      const random = prng(n);
      const w = randomValues(n, random);
      const m = randomValues(n, random, 0.1);
      const v = Float32Array.from(randomValues(n, random, 0.01), Math.abs);
      const g = randomValues(n, random, 2);
      const [w2, m2, v2] = update(
        { variable: tensor(w), m: tensor(m), v: tensor(v), gradient: tensor(g) },
        HYPER as unknown as NamedAttrMap,
      );
      const ref = reference(w, m, v, g, HYPER);
      expect(relativeError(w2 as Float32Array, ref.w)).toBeLessThan(1e-6);
      expect(relativeError(m2 as Float32Array, ref.m)).toBeLessThan(1e-6);
      expect(relativeError(v2 as Float32Array, ref.v)).toBeLessThan(1e-6);
      // The step itself (w′ − w) to float32 precision, not only the weight it lands on.
      const step = Float64Array.from(w2 as Float32Array, (x, i) => x - (w[i] as number));
      const refStep = Float64Array.from(ref.w, (x, i) => x - (w[i] as number));
      expect(relativeError(step, refStep)).toBeLessThan(1e-3);
    });
  }

  it("training's Adam on the native kernel matches its tfjs-ops path over three steps", () => {
    const shapes = [[3, 3, 3, 4, 8], [8], [2, 3, 3, 3, 8, 8]];
    const run = () => {
      const random = prng(77);
      const vars: Variable[] = shapes.map((s) =>
        variable(
          tensor(
            randomValues(
              s.reduce((a, b) => a * b, 1),
              random,
            ),
            s,
          ),
        ),
      );
      const adam = new training.Adam(vars, { learningRate: 1e-2 });
      for (let step = 0; step < 3; step++) {
        const grads = vars.map((v) => tensor(randomValues(v.size, random), v.shape));
        adam.applyGradients(grads);
        for (const g of grads) g.dispose();
      }
      const { firstMoments, secondMoments } = adam.state();
      const read = (ts: Tensor[]) => ts.map((t) => t.dataSync() as Float32Array);
      const result = {
        fused: training.fusedAdamAvailable(),
        tensors: [...read(vars), ...read(firstMoments), ...read(secondMoments)],
      };
      adam.dispose();
      for (const v of vars) v.dispose();
      return result;
    };
    unregisterCpuKernels();
    const ops = run();
    registerCpuKernels();
    const native = run();
    expect([ops.fused, native.fused]).toEqual([false, true]);
    native.tensors.forEach((values, i) => {
      expect(relativeError(values, ops.tensors[i] as Float32Array)).toBeLessThan(1e-5);
    });
  });

  it('rejects bad inputs and attrs with the reason', () => {
    const t = tensor([1, 2, 3]);
    const attrs = HYPER as unknown as NamedAttrMap;
    expect(() => update({ variable: t, m: t, v: t }, attrs)).toThrow(/input gradient is required/);
    expect(() => update({ variable: t, m: t, v: tensor([1, 2]), gradient: t }, attrs)).toThrow(
      /v has shape \[2\], expected the variable's \[3\]/,
    );
    expect(() =>
      update({ variable: t, m: t, v: t, gradient: tensor([1, 2, 3], [3], 'int32') }, attrs),
    ).toThrow(/gradient must be float32, got int32/);
    expect(() =>
      update({ variable: t, m: t, v: t, gradient: t }, { ...attrs, beta2: Number.NaN }),
    ).toThrow(/attr beta2 must be a finite number, got NaN/);
    expect(() =>
      update({ variable: t, m: t, v: t, gradient: t }, { ...attrs, correction1: 0 }),
    ).toThrow(/correction1 and correction2 must be > 0, got 0 and/);
  });

  it('the addon checks array lengths itself', () => {
    const { addon } = loadNativeAddon();
    if (!addon) throw new Error('addon expected');
    const a = new Float32Array(4);
    expect(() =>
      addon.adamUpdate(a, a, a, new Float32Array(3), a, a, a, 0.9, 0.999, 1e-7, 1e-3, 0.1, 0.001),
    ).toThrow(/g has 3 elements, expected 4/);
  });
});
