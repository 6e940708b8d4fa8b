import '@tensorflow/tfjs-backend-cpu';
import { type Scalar, scalar, setBackend, tensor } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { myronenko2018Loss } from './myronenko2018-loss.js';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('myronenko2018Loss', () => {
  // Batch 2, volumes of 2 voxels, latent 1.
  const input = tensor([0, 1, 2, 3], [2, 1, 1, 2, 1]);
  const reconstruction = tensor([1, 1, 2, 1], [2, 1, 1, 2, 1]);
  const zMean = tensor([[1], [0]]);
  const zLogVar = tensor([[0], [Math.log(2)]]);

  it('adds 0.1·L2 and 0.1·KL to the segmentation loss (hand-derived)', () => {
    // L2 = mean(1, 0, 0, 4) = 1.25.
    // KL per sample: μ² + σ² − log σ² − 1 → 1 + 1 − 0 − 1 = 1 and 0 + 2 − ln 2 − 1 = 1 − ln 2;
    // batch mean (2 − ln 2)/2, divided by N = 2 voxels.
    const kl = (2 - Math.log(2)) / 2 / 2;
    const loss = myronenko2018Loss({
      segmentationLoss: scalar(0.5) as Scalar,
      input,
      reconstruction,
      zMean,
      zLogVar,
    });
    expect(loss.rank).toBe(0);
    expect(loss.dataSync()[0]).toBeCloseTo(0.5 + 0.1 * 1.25 + 0.1 * kl, 6);
    const weighted = myronenko2018Loss({
      segmentationLoss: scalar(0) as Scalar,
      input,
      reconstruction,
      zMean,
      zLogVar,
      weightL2: 1,
      weightKL: 0,
    });
    expect(weighted.dataSync()[0]).toBeCloseTo(1.25, 6);
  });

  it('rejects mismatched shapes and bad weights', () => {
    const base = { segmentationLoss: scalar(0) as Scalar, input, reconstruction, zMean, zLogVar };
    expect(() =>
      myronenko2018Loss({ ...base, reconstruction: tensor([1, 2], [1, 1, 1, 2, 1]) }),
    ).toThrow(/input and reconstruction must have equal shapes/);
    expect(() =>
      myronenko2018Loss({
        ...base,
        zLogVar: tensor([
          [0, 0],
          [0, 0],
        ]),
      }),
    ).toThrow(/zMean and zLogVar must have equal shapes/);
    expect(() => myronenko2018Loss({ ...base, weightKL: -1 })).toThrow(
      /weightKL must be a finite number ≥ 0/,
    );
    expect(() =>
      myronenko2018Loss({ ...base, segmentationLoss: tensor([1, 2]) as unknown as Scalar }),
    ).toThrow(/segmentationLoss must be a scalar/);
  });
});
