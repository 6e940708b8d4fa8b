import '@tensorflow/tfjs-backend-cpu';
import { mean, memory, type Scalar, setBackend, type Tensor, tidy } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomTensor } from '../../test/numeric.js';
import { myronenko2018Loss } from './myronenko2018-loss.js';
import { MODEL_NAMES } from './options.js';
import { buildSegmentationNetwork, segmentWith } from './segmentation-network.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const inputShape: [number, number, number, number] = [8, 8, 8, 1];
// A stand-in segmentation loss whose value is easy to recompute: the mean probability.
const meanProbability = (p: Tensor) => mean(p) as Scalar;

describe('buildSegmentationNetwork', () => {
  it('scores the only output of the single-output networks with the segmentation loss', () => {
    for (const name of ['unet3d', 'vnet3d', 'isensee2017'] as const) {
      const network = buildSegmentationNetwork(name, { inputShape, baseFilters: 2, depth: 2 });
      expect(network.name).toBe(name);
      const x = randomTensor([1, ...inputShape], 1);
      const out = network.model.predict(x) as Tensor;
      expect(network.segmentation(out)).toBe(out);
      expect(network.segmentation([out])).toBe(out);
      expect(network.trainingLoss(out, x, meanProbability).dataSync()[0]).toBeCloseTo(
        mean(out).dataSync()[0]!,
        7,
      );
      expect(Array.from(network.segment(x).dataSync())).toEqual(Array.from(out.dataSync()));
    }
  });

  it("adds Myronenko18's VAE terms and reads its segmentation from output 0", () => {
    const network = buildSegmentationNetwork('myronenko2018', {
      inputShape,
      baseFilters: 2,
      depth: 2,
      groups: 1,
      vaeLatentDim: 3,
      seed: 4,
    });
    const x = randomTensor([2, ...inputShape], 2);
    const outputs = network.model.predict(x) as Tensor[];
    expect(outputs).toHaveLength(4);
    expect(network.segmentation(outputs)).toBe(outputs[0]);
    const expected = myronenko2018Loss({
      segmentationLoss: mean(outputs[0]!) as Scalar,
      input: x,
      reconstruction: outputs[1]!,
      zMean: outputs[2]!,
      zLogVar: outputs[3]!,
    });
    const actual = network.trainingLoss(outputs, x, meanProbability);
    expect(actual.dataSync()[0]).toBeCloseTo(expected.dataSync()[0]!, 6);
    // The VAE terms are not zero, so the contract did add them.
    expect(Math.abs(actual.dataSync()[0]! - mean(outputs[0]!).dataSync()[0]!)).toBeGreaterThan(0);

    const before = memory().numTensors;
    const probabilities = network.segment(x);
    expect(probabilities.shape).toEqual([2, 8, 8, 8, 1]);
    expect(Array.from(probabilities.dataSync())).toEqual(Array.from(outputs[0]!.dataSync()));
    // Only the returned tensor survives: the three VAE outputs are freed.
    expect(memory().numTensors).toBe(before + 1);

    // The same on the bare LayersModel (what tf.loadLayersModel gives back from model.json).
    const bare = segmentWith(network.model, x);
    expect(Array.from(bare.dataSync())).toEqual(Array.from(outputs[0]!.dataSync()));
    expect(memory().numTensors).toBe(before + 2);
  });

  it('rejects outputs that are not the model’s', () => {
    const unet = buildSegmentationNetwork('unet3d', { inputShape, baseFilters: 2, depth: 2 });
    const vae = buildSegmentationNetwork('myronenko2018', {
      inputShape,
      baseFilters: 2,
      depth: 2,
      groups: 1,
      vaeLatentDim: 3,
    });
    const x = randomTensor([1, ...inputShape], 3);
    tidy(() => {
      expect(() => unet.segmentation([x, x])).toThrow(
        /unet3d: expected the model's 1 output, got 2/,
      );
      expect(() => vae.trainingLoss(x, x, meanProbability)).toThrow(
        /myronenko2018: expected the model's 4 outputs, got 1/,
      );
    });
    expect(() => buildSegmentationNetwork('segnet' as never)).toThrow(/unknown model "segnet"/);
    expect(MODEL_NAMES.length).toBe(4);
  });
});
