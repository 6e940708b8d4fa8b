import '@tensorflow/tfjs-backend-cpu';
import '../register.js';
import { io, setBackend } from '@tensorflow/tfjs-core';
import { input, type LayersModel, layers, loadLayersModel, model } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomTensor } from '../../test/numeric.js';
import { predictions, saveToMemory } from '../../test/saved-model.js';
import { batchNormalization3d } from '../layers/batch-normalization-3d.js';
import { groupNormalization } from '../layers/group-normalization.js';
import { spatialDropout3d } from '../layers/spatial-dropout-3d.js';
import { upSampling3d } from '../layers/up-sampling-3d.js';
import { vaeSampling } from '../layers/vae-sampling.js';
import { buildModel } from './build-model.js';
import { MODEL_NAMES } from './options.js';

beforeAll(async () => {
  await setBackend('cpu');
});

async function roundTrip(original: LayersModel): Promise<LayersModel> {
  return loadLayersModel(io.fromMemory(await saveToMemory(original)));
}

const outputs = predictions;

/** Replaces every weight by seeded noise so nothing sits at its initial value. */
function scrambleWeights(m: LayersModel, seed: number): void {
  m.setWeights(
    m.getWeights().map((w, i) => {
      const noise = randomTensor(w.shape, seed + i, 0.5, 1.5);
      return noise;
    }),
  );
}

describe('save → load reproduces inference exactly', () => {
  for (const name of MODEL_NAMES) {
    it(name, async () => {
      const original = buildModel(name, {
        inputShape: [16, 16, 16, 1],
        baseFilters: 8,
        depth: 3,
        seed: 2,
        ...(name === 'myronenko2018' ? { vaeLatentDim: 8 } : {}),
      });
      const x = randomTensor([2, 16, 16, 16, 1], 9);
      // A training pass moves the batch-norm moving statistics off their initial values.
      original.apply(x, { training: true });
      const loaded = await roundTrip(original);
      expect(loaded.name).toBe(name);
      expect(loaded.countParams()).toBe(original.countParams());
      expect(outputs(loaded, x)).toEqual(outputs(original, x));
    });
  }

  it('every custom layer, with its configuration', async () => {
    const volume = input({ shape: [2, 2, 2, 8] });
    let v = batchNormalization3d({ momentum: 0.8, epsilon: 1e-2 }).apply(volume);
    v = groupNormalization({ groups: 4, epsilon: 1e-4 }).apply(v);
    v = spatialDropout3d({ rate: 0.25, seed: 5 }).apply(v);
    const up = upSampling3d({ size: [1, 2, 3] }).apply(v);
    const flat = layers.flatten().apply(v);
    const mean = layers.dense({ units: 3 }).apply(flat);
    const logVar = layers.dense({ units: 3 }).apply(flat);
    const z = vaeSampling({ seed: 6 }).apply([mean, logVar] as never);
    const original = model({ inputs: volume, outputs: [up, z] as never });
    scrambleWeights(original, 100);
    const loaded = await roundTrip(original);
    const x = randomTensor([3, 2, 2, 2, 8], 10);
    expect(outputs(loaded, x)).toEqual(outputs(original, x));
    const configs = (m: LayersModel) =>
      m.layers
        .filter((l) =>
          [
            'rpdl>BatchNormalization3D',
            'rpdl>GroupNormalization',
            'rpdl>SpatialDropout3D',
            'rpdl>UpSampling3D',
            'rpdl>VaeSampling',
          ].includes(l.getClassName()),
        )
        .map((l) => [l.getClassName(), l.getConfig()]);
    expect(configs(original)).toHaveLength(5);
    expect(configs(loaded)).toEqual(configs(original));
  });
});
