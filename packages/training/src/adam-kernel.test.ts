import '@tensorflow/tfjs-backend-cpu';
import {
  engine,
  type KernelFunc,
  registerKernel,
  setBackend,
  type Tensor,
  type TensorInfo,
  tensor,
  unregisterKernel,
  type Variable,
  variable,
} from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { prng } from '../../../tooling/testing/prng.js';
import { Adam } from './adam.js';
import { ADAM_UPDATE_KERNEL, fusedAdamAvailable, fusedAdamUpdate } from './adam-kernel.js';

let calls = 0;

/** A float64 JavaScript kernel of the contract, standing in for a backend's native one. */
const fusedStandIn: KernelFunc = ({ inputs, attrs }) => {
  calls++;
  const read = (t: TensorInfo) => Float64Array.from(engine().readSync(t.dataId) as Float32Array);
  const { variable: w, m, v, gradient } = inputs as Record<string, TensorInfo>;
  const a = attrs as unknown as Record<string, number>;
  const [ws, ms, vs, gs] = [w, m, v, gradient].map((t) => read(t as TensorInfo)) as Float64Array[];
  const out = reference(ws!, ms!, vs!, gs!, a);
  const shape = (w as TensorInfo).shape;
  return [out.w, out.m, out.v].map((x) =>
    tensor(Float32Array.from(x), shape),
  ) as unknown as TensorInfo[];
};

/** Adam's update in float64, exactly as the contract states it. */
function reference(
  w: ArrayLike<number>,
  m: ArrayLike<number>,
  v: ArrayLike<number>,
  g: ArrayLike<number>,
  a: Record<string, number>,
) {
  const n = w.length;
  const out = { w: new Float64Array(n), m: new Float64Array(n), v: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const gi = g[i] as number;
    const mi = a.beta1! * (m[i] as number) + (1 - a.beta1!) * gi;
    const vi = a.beta2! * (v[i] as number) + (1 - a.beta2!) * gi * gi;
    out.m[i] = mi;
    out.v[i] = vi;
    out.w[i] =
      (w[i] as number) -
      (a.learningRate! * (mi / a.correction1!)) / (Math.sqrt(vi / a.correction2!) + a.epsilon!);
  }
  return out;
}

function unregister(): void {
  if (fusedAdamAvailable()) unregisterKernel(ADAM_UPDATE_KERNEL, 'cpu');
}

function randomValues(n: number, seed: number): Float32Array {
  const next = prng(seed);
  return Float32Array.from({ length: n }, () => next() * 2 - 1);
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

/** Three Adam steps on two weight tensors (one left without a gradient in step 2). */
function train() {
  const shapes = [[3, 4], [5]];
  const vars: Variable[] = shapes.map((s, i) =>
    variable(tensor(randomValues(s[0]! * (s[1] ?? 1), 10 + i), s)),
  );
  const adam = new Adam(vars, { learningRate: 0.01 });
  for (let step = 0; step < 3; step++) {
    const grads = shapes.map((s, i) =>
      step === 1 && i === 1
        ? undefined
        : tensor(randomValues(s[0]! * (s[1] ?? 1), 20 + 3 * step + i), s),
    );
    adam.applyGradients(grads);
    for (const g of grads) g?.dispose();
  }
  const state = adam.state();
  const read = (ts: Tensor[]) => ts.map((t) => Float64Array.from(t.dataSync()));
  const result = {
    weights: read(vars),
    first: read(state.firstMoments),
    second: read(state.secondMoments),
    step: state.step,
  };
  adam.dispose();
  for (const v of vars) v.dispose();
  return result;
}

describe('the fused Adam kernel contract', () => {
  beforeAll(async () => {
    await setBackend('cpu');
  });
  afterEach(unregister);

  it('is available only once the backend registers it', () => {
    expect(fusedAdamAvailable()).toBe(false);
    registerKernel({
      kernelName: ADAM_UPDATE_KERNEL,
      backendName: 'cpu',
      kernelFunc: fusedStandIn,
    });
    expect(fusedAdamAvailable()).toBe(true);
  });

  it('the tfjs-ops path follows the float64 formula', () => {
    // Step 1 from zero moments: m = 0.1·g, v = 0.001·g², so the step is lr·g/(|g| + ε·…).
    const w = variable(tensor([0.5, -0.25, 2]));
    const adam = new Adam([w], { learningRate: 0.1 });
    const g = tensor([0.2, -4, 0]);
    adam.applyGradients([g]);
    const expected = reference([0.5, -0.25, 2], [0, 0, 0], [0, 0, 0], [0.2, -4, 0], {
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
      learningRate: 0.1,
      correction1: 1 - 0.9,
      correction2: 1 - 0.999,
    });
    expect(relative(w.dataSync(), expected.w)).toBeLessThan(1e-6);
    expect(w.dataSync()[2]).toBe(2);
    adam.dispose();
  });

  it('Adam calls the kernel when registered and matches its tfjs-ops path', () => {
    const ops = train();
    registerKernel({
      kernelName: ADAM_UPDATE_KERNEL,
      backendName: 'cpu',
      kernelFunc: fusedStandIn,
    });
    calls = 0;
    const fused = train();
    // Two weights for three steps, less the one without a gradient.
    expect(calls).toBe(5);
    expect(fused.step).toBe(ops.step);
    for (const key of ['weights', 'first', 'second'] as const) {
      fused[key].forEach((values, i) => {
        expect(relative(values, ops[key][i]!)).toBeLessThan(1e-5);
      });
    }
  });

  it('rejects moments or a gradient of another shape', () => {
    registerKernel({
      kernelName: ADAM_UPDATE_KERNEL,
      backendName: 'cpu',
      kernelFunc: fusedStandIn,
    });
    const w = tensor([1, 2, 3]);
    const ok = tensor([0, 0, 0]);
    const attrs = {
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
      learningRate: 0.1,
      correction1: 0.1,
      correction2: 0.001,
    };
    expect(() => fusedAdamUpdate(w, ok, ok, tensor([1, 2]), attrs)).toThrow(
      /gradient has shape \[2\], expected the variable's \[3\]/,
    );
    expect(() => fusedAdamUpdate(w, tensor([[0, 0, 0]]), ok, ok, attrs)).toThrow(
      /m has shape \[1, 3\], expected the variable's \[3\]/,
    );
  });
});
