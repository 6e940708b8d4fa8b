import '@tensorflow/tfjs-backend-cpu';
import { setBackend, type Tensor } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomTensor } from '../../test/numeric.js';
import { buildModel } from './build-model.js';

beforeAll(async () => {
  await setBackend('cpu');
});

// One 64³ volume through each network at the paper's setting (a few seconds each on cpu).
const volume = randomTensor([1, 64, 64, 64, 1], 64);

function checkProbabilities(y: Tensor): void {
  expect(y.shape).toEqual([1, 64, 64, 64, 1]);
  const v = y.dataSync();
  let inside = 0;
  for (const p of v) if (p >= 0 && p <= 1) inside++;
  expect(inside).toBe(v.length);
}

describe('paper-size prediction [1, 64, 64, 64, 1]', () => {
  for (const name of ['unet3d', 'vnet3d', 'isensee2017'] as const) {
    it(`${name} at the defaults`, () => {
      const model = buildModel(name);
      checkProbabilities(model.predict(volume) as Tensor);
      model.dispose();
    });
  }
});
