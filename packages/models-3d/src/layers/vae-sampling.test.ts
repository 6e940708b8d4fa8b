import '@tensorflow/tfjs-backend-cpu';
import { fill, setBackend, type Tensor, tensor, zeros } from '@tensorflow/tfjs-core';
import { input } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { vaeSampling } from './vae-sampling.js';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('VaeSampling', () => {
  it('returns the posterior mean at inference', () => {
    const mean = tensor([[1, -2, 3]]);
    const y = vaeSampling({ seed: 1 }).apply([mean, tensor([[0, 1, 2]])]) as Tensor;
    expect(Array.from(y.dataSync())).toEqual([1, -2, 3]);
  });

  it('samples μ + σ·ε with ε ~ N(0, 1) in training', () => {
    // σ = 2 (log σ² = log 4), μ = 5: the standardised draws should look standard normal.
    const n = 4000;
    const layer = vaeSampling({ seed: 7 });
    const z = (
      layer.apply([fill([n, 1], 5), fill([n, 1], Math.log(4))], { training: true }) as Tensor
    ).dataSync();
    const eps = Array.from(z, (v) => (v - 5) / 2);
    const m = eps.reduce((a, b) => a + b, 0) / n;
    const v = eps.reduce((a, b) => a + (b - m) ** 2, 0) / n;
    // Standard errors: mean 1/√4000 ≈ 0.016, variance √(2/4000) ≈ 0.022; ±5 of them.
    expect(Math.abs(m)).toBeLessThan(0.08);
    expect(Math.abs(v - 1)).toBeLessThan(0.12);
  });

  it('is reproducible from its seed', () => {
    const draw = () =>
      Array.from(
        (
          vaeSampling({ seed: 4 }).apply([zeros([2, 3]), zeros([2, 3])], {
            training: true,
          }) as Tensor
        ).dataSync(),
      );
    expect(draw()).toEqual(draw());
  });

  it('replays its noise from a saved random state', () => {
    const layer = vaeSampling({ seed: 9 });
    const draw = () =>
      Array.from(
        (layer.apply([zeros([2, 3]), zeros([2, 3])], { training: true }) as Tensor).dataSync(),
      );
    const saved = layer.randomState();
    const first = draw();
    expect(draw()).not.toEqual(first);
    layer.setRandomState(saved);
    expect(draw()).toEqual(first);
  });

  it('checks its inputs', () => {
    const layer = vaeSampling();
    expect(() => layer.apply(input({ shape: [4] }))).toThrow(/two inputs: \[zMean, zLogVar\]/);
    expect(() => vaeSampling().apply([input({ shape: [4] }), input({ shape: [3] })])).toThrow(
      /equal shape \[batch, latent\]/,
    );
    expect(() => vaeSampling({ seed: 1.5 })).toThrow(/seed must be an integer/);
  });
});
