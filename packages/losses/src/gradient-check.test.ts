// Only tfjs-core and a backend: no op gradients are registered in this test file's process.
import '../test/cpu-backend.js';
import { getGradient, grad, type Tensor, tensor2d } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { diceLoss, rewardPenaltyDiceLoss, softDiceLoss, weightedCrossEntropy } from './index.js';

const y = tensor2d([[1, 1, 0, 0]]);
const p = tensor2d([[0.9, 0.6, 0.4, 0.1]]);
const map = tensor2d([[1, 0.5, 0.5, -1]]);
const WHAT_TO_IMPORT =
  /no gradient registered for Multiply, Sum, Add, Sub, RealDiv, Mean.*Add import '@tensorflow\/tfjs-layers';/;

describe('autodiff with tfjs-core alone', () => {
  it('starts from a registry without op gradients', () => {
    expect(getGradient('Sub')).toBeUndefined();
  });

  it('fails with what to import instead of tfjs’s "gradient function not found"', () => {
    for (const loss of [
      (q: Tensor) => diceLoss(y, q, { gradient: 'autodiff' }),
      (q: Tensor) => rewardPenaltyDiceLoss(y, q, map, { gradient: 'autodiff' }),
      (q: Tensor) => softDiceLoss(y, q, { gradient: 'autodiff' }),
    ]) {
      expect(() => grad(loss)(p)).toThrow(WHAT_TO_IMPORT);
    }
    expect(() => grad((q: Tensor) => weightedCrossEntropy(y, q))(p)).toThrow(
      /weightedCrossEntropy: tfjs has no gradient registered for ClipByValue, Log, Log1p.*'@tensorflow\/tfjs-layers'/,
    );
  });

  it('needs nothing outside a gradient tape, nor for the analytic gradients', () => {
    expect(diceLoss(y, p, { gradient: 'autodiff' }).dataSync()[0]).toBeCloseTo(0.2, 6);
    expect(weightedCrossEntropy(y, p).dataSync()[0]).toBeGreaterThan(0);
    const g = grad((q: Tensor) => rewardPenaltyDiceLoss(y, q, map))(p).dataSync();
    expect(g.length).toBe(4);
  });
});
