import '@tensorflow/tfjs-backend-cpu';
import { memory, setBackend, tensor2d } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { diceLoss } from './index.js';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('diceLoss', () => {
  it('matches a hand-derived value', () => {
    // y = [1, 0, 1], P = [0.5, 0.5, 1]: Σ yP = 1.5, Σ y = 2, Σ P = 2, smooth 1
    // DL = 1 − (2·1.5 + 1) / (2 + 2 + 1) = 1 − 4/5 = 0.2
    const y = tensor2d([[1, 0, 1]]);
    const p = tensor2d([[0.5, 0.5, 1]]);
    expect(diceLoss(y, p).dataSync()[0]).toBeCloseTo(0.2, 6);
    // smooth 0: 1 − 3/4 = 0.25
    expect(diceLoss(y, p, { smooth: 0 }).dataSync()[0]).toBeCloseTo(0.25, 6);
  });

  it('leaks no tensors and rejects mismatched shapes', () => {
    const y = tensor2d([[1, 0]]);
    const p = tensor2d([[0.2, 0.1]]);
    const before = memory().numTensors;
    diceLoss(y, p).dispose();
    expect(memory().numTensors).toBe(before);
    expect(() => diceLoss(y, tensor2d([[1, 0, 0]]))).toThrow(/must be equal/);
    expect(() => diceLoss(y, p, { smooth: -1 })).toThrow(/smooth/);
  });
});
