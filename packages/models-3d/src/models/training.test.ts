import '@tensorflow/tfjs-backend-cpu';
import {
  add,
  cast,
  clipByValue,
  greater,
  log,
  mean,
  mul,
  type Scalar,
  setBackend,
  sub,
  type Tensor,
  tidy,
  train,
} from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomTensor } from '../../test/numeric.js';
import { buildModel } from './build-model.js';
import { myronenko2018 } from './myronenko2018.js';
import { myronenko2018Loss } from './myronenko2018-loss.js';

beforeAll(async () => {
  await setBackend('cpu');
});

// A voxel-local rule every network can learn in a few steps: label = input > 0.
const x = randomTensor([2, 16, 16, 16, 1], 42);
const y = cast(greater(x, 0), 'float32');

function binaryCrossEntropy(target: Tensor, p: Tensor): Scalar {
  return tidy(() => {
    const q = clipByValue(p, 1e-6, 1 - 1e-6);
    return mul(mean(add(mul(target, log(q)), mul(sub(1, target), log(sub(1, q))))), -1) as Scalar;
  });
}

/** Mean loss of the first two and last two of `steps` Adam steps. */
function trainSteps(model: LayersModel, steps: number, loss: () => Scalar, learningRate = 0.03) {
  const optimizer = train.adam(learningRate);
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const value = optimizer.minimize(loss, true);
    losses.push(value?.dataSync()[0] ?? Number.NaN);
    value?.dispose();
  }
  optimizer.dispose();
  model.dispose();
  return {
    first: ((losses[0] as number) + (losses[1] as number)) / 2,
    last: ((losses[steps - 1] as number) + (losses[steps - 2] as number)) / 2,
    losses,
  };
}

describe('training at 16³', () => {
  for (const name of ['unet3d', 'vnet3d', 'isensee2017'] as const) {
    it(`${name}: the loss falls`, () => {
      const model = buildModel(name, {
        inputShape: [16, 16, 16, 1],
        baseFilters: 2,
        depth: 3,
        dropout: 0.1,
        seed: 1,
      });
      const { first, last, losses } = trainSteps(model, 8, () =>
        binaryCrossEntropy(y, model.apply(x, { training: true }) as Tensor),
      );
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(last, `losses ${losses.join(', ')}`).toBeLessThan(0.85 * first);
    });
  }

  it('myronenko2018: L_seg + 0.1·L2 + 0.1·KL falls', () => {
    const model = myronenko2018({
      inputShape: [16, 16, 16, 1],
      baseFilters: 4,
      groups: 4,
      depth: 3,
      vaeLatentDim: 8,
      seed: 1,
    });
    const { first, last, losses } = trainSteps(
      model,
      8,
      () => {
        const [seg, reconstruction, zMean, zLogVar] = model.apply(x, {
          training: true,
        }) as Tensor[];
        return myronenko2018Loss({
          segmentationLoss: binaryCrossEntropy(y, seg as Tensor),
          input: x,
          reconstruction: reconstruction as Tensor,
          zMean: zMean as Tensor,
          zLogVar: zLogVar as Tensor,
        });
        // A third of the U-nets' rate: at 0.03 single steps jump up to fifty-fold through the
        // sampled latent code, and whether eight steps end lower depends on the draws.
      },
      0.01,
    );
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(last, `losses ${losses.join(', ')}`).toBeLessThan(0.85 * first);
  });

  it('fit() trains through the layers API too (U-net, binary cross-entropy)', async () => {
    const model = buildModel('unet3d', {
      inputShape: [16, 16, 16, 1],
      baseFilters: 2,
      depth: 2,
      seed: 3,
    });
    model.compile({ optimizer: train.adam(0.02), loss: 'binaryCrossentropy' });
    const history = await model.fit(x, y, { epochs: 6, batchSize: 2, verbose: 0 });
    const loss = history.history.loss as number[];
    expect(loss[5]).toBeLessThan(0.95 * (loss[0] as number));
    model.dispose();
  });
});
