import '@tensorflow/tfjs-backend-cpu';
import { randomUniform, setBackend, type Tensor, variableGrads } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildUnet, unetLoss } from '../bench/unet-model.js';
import { nativeFallbacks, registerCpuKernels, unregisterCpuKernels } from '../src/index.js';
import { nativeTestsEnabled, relativeError } from '../src/test-helpers.js';

const LEARNING_RATE = 0.1;

/** Loss, gradients and SGD-updated weights of one training step, by variable name. */
function trainingStep(net: ReturnType<typeof buildUnet>, x: Tensor, y: Tensor) {
  const { value, grads } = variableGrads(() => unetLoss(net, x, y));
  const out = new Map<string, { grad: Float32Array; updated: Float32Array }>();
  for (const w of net.trainableWeights) {
    const grad = grads[w.originalName] ?? grads[w.name];
    if (!grad) throw new Error(`no gradient for ${w.name}`);
    const g = grad.dataSync() as Float32Array;
    const v = w.read().dataSync() as Float32Array;
    out.set(w.name, {
      grad: g,
      updated: v.map((value, i) => value - LEARNING_RATE * (g[i] as number)),
    });
  }
  const loss = value.dataSync()[0] as number;
  value.dispose();
  for (const g of Object.values(grads)) g.dispose();
  return { loss, weights: out };
}

describe.skipIf(!nativeTestsEnabled)('a U-net training step', () => {
  beforeAll(async () => {
    await setBackend('cpu');
  });

  it('matches the stock step in loss, gradients and updated weights to 1e-4 relative', () => {
    // 12³ input, depth 3 (two max-poolings, two up-samplings with skip concatenation), batch 2.
    const net = buildUnet({ size: 12, baseFilters: 3, depth: 3, seed: 7 });
    const x = randomUniform([2, 12, 12, 12, 1], 0, 1, 'float32', 11);
    const y = randomUniform([2, 12, 12, 12, 1], 0, 1, 'float32', 12);

    unregisterCpuKernels();
    const stock = trainingStep(net, x, y);
    expect(registerCpuKernels().registered).toBe(true);
    const native = trainingStep(net, x, y);

    expect(Math.abs(native.loss - stock.loss) / Math.abs(stock.loss)).toBeLessThanOrEqual(1e-4);
    expect(native.weights.size).toBe(stock.weights.size);
    const largest = (values: Float32Array) => values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const networkLargest = Math.max(...[...stock.weights.values()].map((w) => largest(w.grad)));
    for (const [name, s] of stock.weights) {
      const n = native.weights.get(name);
      if (!n) throw new Error(`native step lacks ${name}`);
      if (largest(s.grad) < 1e-6 * networkLargest) {
        // A convolution bias feeding batch norm has gradient exactly zero (the batch mean cancels
        // it); both backends return rounding noise there, so check that it stays noise.
        expect(largest(n.grad), `gradient of ${name}`).toBeLessThan(1e-6 * networkLargest);
      } else {
        expect(relativeError(n.grad, s.grad), `gradient of ${name}`).toBeLessThanOrEqual(1e-4);
      }
      expect(relativeError(n.updated, s.updated), `updated ${name}`).toBeLessThanOrEqual(1e-4);
    }
    expect([...nativeFallbacks().keys()]).toEqual([]);
  });
});
