import '@tensorflow/tfjs-backend-cpu';
import { diceLoss, rewardPenaltyDiceLoss, weightedCrossEntropy } from '@rpdl/losses';
import { setBackend, tensor } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOSS_NAMES, segmentationLoss } from '../src/index.js';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('segmentationLoss (the registry)', () => {
  const y = tensor([1, 1, 0, 0], [1, 4]);
  const p = tensor([0.9, 0.4, 0.3, 0.1], [1, 4]);
  const map = tensor([1, 0.5, 0.5, -1], [1, 4]);

  it('offers the single-annotation losses of the registry', () => {
    expect(LOSS_NAMES).toEqual(['wcel', 'dl', 'rpdl']);
  });

  it('computes what the loss functions compute', () => {
    const cases: Array<[number, number]> = [
      [
        segmentationLoss('wcel', y, p, undefined, 3).dataSync()[0]!,
        weightedCrossEntropy(y, p, { weight: 3 }).dataSync()[0]!,
      ],
      [segmentationLoss('dl', y, p, undefined, 1).dataSync()[0]!, diceLoss(y, p).dataSync()[0]!],
      [
        segmentationLoss('rpdl', y, p, map, 1).dataSync()[0]!,
        rewardPenaltyDiceLoss(y, p, map).dataSync()[0]!,
      ],
    ];
    for (const [got, expected] of cases) expect(got).toBe(expected);
  });

  it('refuses RPDL without maps and the fused-target losses', () => {
    expect(() => segmentationLoss('rpdl', y, p, undefined, 1)).toThrow(/RPDL needs the batch maps/);
    expect(() => segmentationLoss('soft-dice', y, p, undefined, 1)).toThrow(
      /soft-dice trains on a fused target/,
    );
  });
});
