import '@tensorflow/tfjs-backend-cpu';
import { setBackend, type Tensor, tensor } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type GradientCheck, gradientViolation, worstViolation } from '../../test/numeric.js';
import { BatchNormalization3D, batchNormalization3d } from './batch-normalization-3d.js';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('BatchNormalization3D', () => {
  it('normalises with batch moments in training and updates the moving statistics', () => {
    // One channel, values 1 and 3: batch mean 2, biased variance 1.
    const layer = batchNormalization3d({ momentum: 0.9, epsilon: 1e-3 });
    const x = tensor([1, 3], [2, 1, 1, 1, 1]);
    const y = layer.apply(x, { training: true }) as Tensor;
    const s = 1 / Math.sqrt(1 + 1e-3);
    expect(worstViolation(y.dataSync(), [-s, s], { abs: 1e-6 })).toBeLessThanOrEqual(0);
    const [, , movingMean, movingVariance] = layer.getWeights();
    // m ← 0.9·0 + 0.1·2, v ← 0.9·1 + 0.1·1
    expect(movingMean?.dataSync()[0]).toBeCloseTo(0.2, 6);
    expect(movingVariance?.dataSync()[0]).toBeCloseTo(1, 6);
  });

  it('uses the moving statistics, γ and β at inference', () => {
    const layer = batchNormalization3d({ epsilon: 1e-3 });
    const x = tensor([1, 2, 3, 4], [1, 1, 1, 2, 2]);
    layer.apply(x); // builds
    // channels: γ = [2, 1], β = [0.5, -1], mean = [1, 2], variance = [3, 0.999]
    layer.setWeights([tensor([2, 1]), tensor([0.5, -1]), tensor([1, 2]), tensor([3, 0.999])]);
    const y = (layer.apply(x) as Tensor).dataSync();
    const expected = [
      2 * ((1 - 1) / Math.sqrt(3.001)) + 0.5,
      (2 - 2) / 1 - 1,
      2 * ((3 - 1) / Math.sqrt(3.001)) + 0.5,
      (4 - 2) / 1 - 1,
    ];
    expect(worstViolation(y, expected, { abs: 1e-5 })).toBeLessThanOrEqual(0);
  });

  it('counts 4·C parameters, two of them non-trainable like Keras', () => {
    const layer = new BatchNormalization3D();
    layer.build([null, 4, 4, 4, 6]);
    expect(layer.countParams()).toBe(24);
    expect(layer.trainableWeights.length).toBe(2);
    expect(layer.nonTrainableWeights.length).toBe(2);
  });

  it('has training-mode gradients matching central differences (float32: h 1e-2, rel 2e-2)', () => {
    const layer = batchNormalization3d();
    // Weighted sum of the outputs; the batch moments couple every input to every output.
    const training = (x: Tensor) => layer.apply(x, { training: true }) as Tensor;
    const check: GradientCheck = { seeds: [11, 12], h: 1e-2, abs: 2e-3, rel: 2e-2 };
    expect(gradientViolation(training, [2, 2, 2, 1, 2], check)).toBeLessThanOrEqual(0);
  });

  it('rejects input that is not rank 5 and bad settings', () => {
    expect(() => batchNormalization3d().apply(tensor([1, 2], [1, 2]))).toThrow(/rank-5 input/);
    expect(() => batchNormalization3d({ momentum: 1 })).toThrow(/momentum must be in \[0, 1\)/);
    expect(() => batchNormalization3d({ epsilon: 0 })).toThrow(/epsilon must be > 0/);
  });
});
