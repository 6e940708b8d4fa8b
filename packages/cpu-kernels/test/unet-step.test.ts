import '@tensorflow/tfjs-backend-cpu';
import { unet3d } from '@rpdl/models-3d';
import { setBackend, variableGrads } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeBatch, productLoss, type StepCase } from '../bench/product-step.js';
import { nativeFallbacks, registerCpuKernels, unregisterCpuKernels } from '../src/index.js';
import { nativeTestsEnabled, relativeError } from '../src/test-helpers.js';

const LEARNING_RATE = 0.1;

/** Loss, gradients and SGD-updated weights of one RPDL training step, by variable name. */
function trainingStep(net: LayersModel, c: StepCase) {
  const { x, y, rpMap } = makeBatch(c, 11);
  const { value, grads } = variableGrads(() => productLoss(net, x, y, rpMap));
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
  for (const t of [x, y, rpMap]) t.dispose();
  return { loss, weights: out };
}

describe.skipIf(!nativeTestsEnabled)("the product U-net's training step", () => {
  beforeAll(async () => {
    await setBackend('cpu');
  });

  it('matches the stock step in loss, gradients and updated weights to 1e-4 relative', () => {
    // @rpdl/models-3d's unet3d at 16³, depth 3 (two stride-2 levels, two up-samplings with skip
    // concatenation), batch 2, batch norm in training mode; no dropout, so both steps see the
    // same network.
    const c: StepCase = {
      label: 'test',
      model: 'unet3d',
      size: 16,
      batch: 2,
      baseFilters: 3,
      depth: 3,
      dropout: 0,
    };
    const net = unet3d({
      inputShape: [16, 16, 16, 1],
      baseFilters: 3,
      depth: 3,
      dropout: 0,
      seed: 7,
    });

    unregisterCpuKernels();
    const stock = trainingStep(net, c);
    expect(registerCpuKernels().registered).toBe(true);
    const native = trainingStep(net, c);

    expect(Math.abs(native.loss - stock.loss) / Math.abs(stock.loss)).toBeLessThanOrEqual(1e-4);
    expect(native.weights.size).toBe(stock.weights.size);
    const largest = (values: Float32Array) => values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const networkLargest = Math.max(...[...stock.weights.values()].map((w) => largest(w.grad)));
    for (const [name, s] of stock.weights) {
      const n = native.weights.get(name);
      if (!n) throw new Error(`native step lacks ${name}`);
      if (largest(s.grad) < 1e-6 * networkLargest) {
        // A convolution bias feeding batch norm has gradient exactly zero (the batch mean cancels
        // it); both backends return rounding noise there, so check that it stays noise, and that
        // the (zero-initialised) bias moves by no more than that noise.
        const noise = 1e-6 * networkLargest;
        expect(largest(n.grad), `gradient of ${name}`).toBeLessThan(noise);
        const moved = n.updated.map((v, i) => v - (s.updated[i] as number));
        expect(largest(moved), `updated ${name}`).toBeLessThan(2 * LEARNING_RATE * noise);
      } else {
        expect(relativeError(n.grad, s.grad), `gradient of ${name}`).toBeLessThanOrEqual(1e-4);
        expect(relativeError(n.updated, s.updated), `updated ${name}`).toBeLessThanOrEqual(1e-4);
      }
    }
    expect([...nativeFallbacks().entries()]).toEqual([]);
  });
});
