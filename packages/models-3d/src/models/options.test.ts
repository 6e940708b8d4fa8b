import '@tensorflow/tfjs-backend-cpu';
import { setBackend } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchNormalization3D } from '../layers/batch-normalization-3d.js';
import { SpatialDropout3D } from '../layers/spatial-dropout-3d.js';
import { VaeSampling } from '../layers/vae-sampling.js';
import { buildModel } from './build-model.js';
import { myronenko2018 } from './myronenko2018.js';
import { MODEL_NAMES, type ModelOptions } from './options.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const small: ModelOptions = { inputShape: [16, 16, 16, 1], baseFilters: 8, depth: 3 };

function layerCount(model: LayersModel, className: string): number {
  return model.layers.filter((l) => l.getClassName() === className).length;
}

describe('model options', () => {
  it('builds every model by name with the requested output shape', () => {
    for (const name of MODEL_NAMES) {
      const model = buildModel(name, { ...small, labels: 2, activation: 'softmax' });
      expect(model.name).toBe(name);
      expect(model.outputs[0]?.shape).toEqual([null, 16, 16, 16, 2]);
    }
    expect(MODEL_NAMES).toEqual(['unet3d', 'vnet3d', 'isensee2017', 'myronenko2018']);
  });

  it('wires the three U-net variants differently', () => {
    // depth 3: V-net and Isensee17 add one residual per level; Isensee17 adds 1 fusion sum.
    const [unet, vnet, isensee] = (['unet3d', 'vnet3d', 'isensee2017'] as const).map((n) =>
      buildModel(n, small),
    );
    expect(unet && layerCount(unet, 'Add')).toBe(0);
    expect(vnet && layerCount(vnet, 'Add')).toBe(3);
    expect(isensee && layerCount(isensee, 'Add')).toBe(4);
    expect(unet && layerCount(unet, SpatialDropout3D.className)).toBe(3);
    expect(unet && layerCount(unet, BatchNormalization3D.className)).toBe(3 * 3 + 2 * 3);
  });

  it('gives Myronenko18 four outputs and no dropout by default', () => {
    const model = myronenko2018({ ...small, vaeLatentDim: 12 });
    expect(model.outputs.map((o) => o.shape)).toEqual([
      [null, 16, 16, 16, 1],
      [null, 16, 16, 16, 1],
      [null, 12],
      [null, 12],
    ]);
    expect(layerCount(model, SpatialDropout3D.className)).toBe(0);
    expect(layerCount(model, VaeSampling.className)).toBe(1);
  });

  it('rejects bad options with specific messages', () => {
    expect(() => buildModel('unet3d', { inputShape: [60, 64, 64, 1] })).toThrow(
      /unet3d: each spatial size must be divisible by 16 \(the model halves it 4 times\)/,
    );
    expect(() => buildModel('vnet3d', { inputShape: [64, 64, 1] as never })).toThrow(
      /inputShape must be \[depth, height, width, channels\]/,
    );
    expect(() => buildModel('isensee2017', { baseFilters: 0 })).toThrow(
      /baseFilters must be a positive integer, got 0/,
    );
    expect(() => buildModel('unet3d', { depth: 2.5 })).toThrow(/depth must be a positive integer/);
    expect(() => buildModel('unet3d', { labels: 0 })).toThrow(/labels must be a positive integer/);
    expect(() => buildModel('unet3d', { dropout: 1 })).toThrow(/dropout must be in \[0, 1\)/);
    expect(() => buildModel('unet3d', { activation: 'relu' as never })).toThrow(
      /activation must be 'sigmoid' or 'softmax'/,
    );
    expect(() => buildModel('unet3d', { activation: 'softmax' })).toThrow(/softmax over 1 label/);
    expect(() => buildModel('unet3d', { seed: 0.5 })).toThrow(/seed must be an integer/);
    expect(() => buildModel('segnet' as never)).toThrow(/unknown model "segnet"/);
    // @ts-expect-error vaeLatentDim belongs to myronenko2018 only
    expect(() => buildModel('unet3d', { vaeLatentDim: 8 })).toThrow(
      /unet3d: unknown option 'vaeLatentDim'; expected one of inputShape, baseFilters/,
    );
    expect(() => myronenko2018({ latent: 8 } as never)).toThrow(/unknown option 'latent'/);
    expect(() => myronenko2018({ inputShape: [24, 24, 24, 1] })).toThrow(
      /myronenko2018: each spatial size must be divisible by 16/,
    );
    expect(() => myronenko2018({ ...small, baseFilters: 12 })).toThrow(
      /groups must be a positive integer dividing baseFilters \(12\)/,
    );
    expect(() => myronenko2018({ ...small, blocksPerLevel: [1, 2] })).toThrow(
      /blocksPerLevel must hold 3 positive integers/,
    );
    expect(() => myronenko2018({ ...small, hiddenActivation: 'elu' as never })).toThrow(
      /hiddenActivation must be 'relu' or 'leakyRelu'/,
    );
  });

  it('sets the batch-norm momentum of the U-net family and validates it', () => {
    const momenta = (momentum?: number) =>
      buildModel('isensee2017', {
        ...small,
        ...(momentum === undefined ? {} : { batchNormMomentum: momentum }),
      })
        .layers.filter((l) => l.getClassName() === BatchNormalization3D.className)
        .map((l) => (l as unknown as { momentum: number }).momentum);
    expect(new Set(momenta())).toEqual(new Set([0.99]));
    expect(new Set(momenta(0.5))).toEqual(new Set([0.5]));
    expect(new Set(momenta(0))).toEqual(new Set([0]));
    expect(momenta(0.5)).toHaveLength(15);
    expect(() => buildModel('unet3d', { batchNormMomentum: 1 })).toThrow(
      /unet3d: batchNormMomentum must be in \[0, 1\), got 1/,
    );
    expect(() => buildModel('vnet3d', { batchNormMomentum: Number.NaN })).toThrow(
      /vnet3d: batchNormMomentum must be in \[0, 1\), got NaN/,
    );
    // Myronenko18 normalises by groups: a batch-norm momentum there is a mistake, not a no-op.
    // @ts-expect-error batchNormMomentum belongs to the U-net family only
    expect(() => buildModel('myronenko2018', { batchNormMomentum: 0.9 })).toThrow(
      /myronenko2018: unknown option 'batchNormMomentum'/,
    );
  });

  it('is reproducible from a seed', () => {
    const weights = (seed: number) =>
      buildModel('vnet3d', { ...small, baseFilters: 2, seed })
        .getWeights()
        .map((w) => Array.from(w.dataSync()));
    const a = weights(5);
    expect(weights(5)).toEqual(a);
    expect(weights(6)).not.toEqual(a);
  });
});
