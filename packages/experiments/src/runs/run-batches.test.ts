import '@tensorflow/tfjs-backend-cpu';
import { generatePhantom, leaveOneBoneOut } from '@rpdl/cm-dataset';
import {
  dispose,
  memory,
  ones,
  type Scalar,
  setBackend,
  tensor,
  zeros,
} from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBatches } from './data-pipeline.js';
import { batchLossFor } from './run-loss.js';
import { type TrainingBatch } from '@rpdl/training';
import { buildSegmentationNetwork } from '@rpdl/models-3d';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('runBatches', () => {
  const dataset = generatePhantom({ size: 16, seed: 3, bones: 3, surgeons: 3 });
  const split = leaveOneBoneOut(0, dataset.layout);
  const options = {
    dataset,
    train: split.train.slice(1),
    validation: split.train.slice(0, 1),
    mapRows: split.train,
    batchSize: 2,
    augmentation: 'cube' as const,
    seed: 11,
    withMaps: true,
    steps: 3,
  };

  const snapshot = (batches: Iterable<TrainingBatch>) =>
    [...batches].map((b) => {
      const values = [b.x, b.y, b.rpMap!].map((t) => Array.from(t.dataSync()));
      dispose([b.x, b.y, b.rpMap!]);
      return values;
    });

  it('cuts epochs to the requested steps and replays an epoch identically (what exact resumes need)', () => {
    const before = memory().numTensors;
    const batches = runBatches(options);
    expect(batches.batchesPerEpoch).toBe(3);
    const first = snapshot(batches.trainBatches(2));
    expect(first).toHaveLength(3);
    expect(snapshot(runBatches(options).trainBatches(2))).toEqual(first);
    expect(snapshot(batches.trainBatches(3))).not.toEqual(first);
    expect(memory().numTensors).toBe(before);
  });

  it('gives validation batches the maps of the whole training fold', () => {
    const batches = runBatches(options);
    const [batch] = [...batches.validationBatches!()];
    expect(batch!.x.shape).toEqual([1, 16, 16, 16, 1]);
    // Built from 3 annotations of the bone, so the map's positive values are multiples of 1/3.
    const values = new Set(Array.from(batch!.rpMap!.dataSync()).map((v) => Math.round(v * 3)));
    for (const v of values) expect([-3, 1, 2, 3]).toContain(v);
    dispose([batch!.x, batch!.y, batch!.rpMap!]);
  });
});

describe('batchLossFor', () => {
  const tiny = { inputShape: [2, 2, 2, 1] as [number, number, number, number], depth: 1 };
  const single = { network: buildSegmentationNetwork('unet3d', { ...tiny, baseFilters: 1 }) };
  const vae = {
    network: buildSegmentationNetwork('myronenko2018', {
      ...tiny,
      baseFilters: 1,
      groups: 1,
      vaeLatentDim: 4,
    }),
  };
  const y = tensor([1, 0, 0, 0], [1, 1, 2, 2, 1]);
  const p = tensor([0.9, 0.2, 0.1, 0.1], [1, 1, 2, 2, 1]);

  it('computes each loss on the segmentation output', () => {
    const batch = { x: zeros([1, 1, 2, 2, 1]), y, rpMap: tensor([1, -1, -1, -1], [1, 1, 2, 2, 1]) };
    for (const loss of ['wcel', 'dl', 'rpdl'] as const) {
      const value = batchLossFor(loss, { weight: 3, ...single })([p], batch) as Scalar;
      expect(Number.isFinite(value.dataSync()[0])).toBe(true);
      value.dispose();
    }
    // Dice loss by hand: 1 − (2·0.9 + 1) / (1 + 1.3 + 1) with the default smoothing 1.
    const dl = batchLossFor('dl', single)([p], batch);
    expect(dl.dataSync()[0]).toBeCloseTo(1 - 2.8 / 3.3, 5);
    dl.dispose();
  });

  it('adds the VAE terms for Myronenko18 and refuses incomplete inputs', () => {
    const x = zeros([1, 1, 2, 2, 1]);
    const plain = batchLossFor('dl', single)([p], { x, y });
    const withVae = batchLossFor('dl', vae)(
      [p, ones([1, 1, 2, 2, 1]), zeros([1, 4]), zeros([1, 4])],
      { x, y },
    );
    // Reconstruction all ones against an input of zeros: the L2 term is positive; KL of N(0, 1) is 0.
    expect(withVae.dataSync()[0]).toBeGreaterThan(plain.dataSync()[0]!);
    expect(() => batchLossFor('dl', vae)([p], { x, y })).toThrow(
      /myronenko2018: expected the model's 4 outputs, got 1/,
    );
    expect(() => batchLossFor('rpdl', single)([p], { x, y })).toThrow(
      /needs batches with a reward-penalty map/,
    );
    expect(() => batchLossFor('wcel', single)).toThrow(/needs a positive weight/);
  });
});
