import '@tensorflow/tfjs-backend-cpu';
import { setBackend, type Tensor, tensor } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type GradientCheck,
  gradientViolation,
  randomTensor,
  uniform,
  worstViolation,
} from '../../test/numeric.js';
import { GroupNormalization, groupNormalization } from './group-normalization.js';

beforeAll(async () => {
  await setBackend('cpu');
});

/** Float64 group normalisation of channels-last data [batch, voxels, channels]. */
function reference(
  x: number[],
  [batch, voxels, channels]: [number, number, number],
  groups: number,
  gamma: number[],
  beta: number[],
  epsilon: number,
): number[] {
  const out = new Array<number>(x.length);
  const per = channels / groups;
  for (let b = 0; b < batch; b++)
    for (let g = 0; g < groups; g++) {
      const idx: number[] = [];
      for (let v = 0; v < voxels; v++)
        for (let c = g * per; c < (g + 1) * per; c++) idx.push((b * voxels + v) * channels + c);
      const mean = idx.reduce((s, i) => s + (x[i] as number), 0) / idx.length;
      const variance = idx.reduce((s, i) => s + ((x[i] as number) - mean) ** 2, 0) / idx.length;
      for (const i of idx) {
        const c = i % channels;
        out[i] =
          ((gamma[c] as number) * ((x[i] as number) - mean)) / Math.sqrt(variance + epsilon) +
          (beta[c] as number);
      }
    }
  return out;
}

describe('GroupNormalization', () => {
  it('matches a float64 reference for each sample and group', () => {
    const shape = [2, 3, 2, 2, 6];
    const values = uniform(144, 21, -3, 5);
    const layer = groupNormalization({ groups: 3, epsilon: 1e-3 });
    const x = tensor(values, shape);
    layer.apply(x);
    const gamma = uniform(6, 22, 0.5, 2);
    const beta = uniform(6, 23, -1, 1);
    layer.setWeights([tensor(gamma), tensor(beta)]);
    const y = (layer.apply(x) as Tensor).dataSync();
    const expected = reference(values, [2, 12, 6], 3, gamma, beta, 1e-3);
    expect(worstViolation(y, expected, { abs: 1e-5, rel: 1e-5 })).toBeLessThanOrEqual(0);
  });

  it('has gradients matching central differences for a single sample too', () => {
    const layer = groupNormalization({ groups: 2 });
    const check: GradientCheck = { seeds: [33, 34], h: 1e-2, abs: 2e-3, rel: 2e-2 };
    const violation = gradientViolation((x) => layer.apply(x) as Tensor, [1, 2, 1, 2, 4], check);
    expect(violation).toBeLessThanOrEqual(0);
  });

  it('behaves the same in training and inference', () => {
    const x = randomTensor([1, 2, 2, 2, 8], 2);
    const layer = groupNormalization({ groups: 4 });
    const a = (layer.apply(x) as Tensor).dataSync();
    const b = (layer.apply(x, { training: true }) as Tensor).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('has gradients matching central differences (float32: h 1e-2, rel 2e-2)', () => {
    const layer = groupNormalization({ groups: 2 });
    const check: GradientCheck = { seeds: [31, 32], h: 1e-2, abs: 2e-3, rel: 2e-2 };
    const violation = gradientViolation((x) => layer.apply(x) as Tensor, [2, 2, 1, 1, 4], check);
    expect(violation).toBeLessThanOrEqual(0);
  });

  it('counts 2·C parameters and requires groups to divide the channels', () => {
    const layer = new GroupNormalization({ groups: 4 });
    layer.build([null, 2, 2, 2, 12]);
    expect(layer.countParams()).toBe(24);
    expect(() => new GroupNormalization({ groups: 8 }).build([null, 2, 2, 2, 12])).toThrow(
      /groups \(8\) must divide the channel count, got 12 channels/,
    );
    expect(() => groupNormalization({ groups: 0 })).toThrow(/groups must be a positive integer/);
  });
});
