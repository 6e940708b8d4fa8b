import '@tensorflow/tfjs-backend-cpu';
import { buildModel, spatialDropout3d, vaeSampling } from '@rpdl/models-3d';
import { ones, setBackend, type Tensor } from '@tensorflow/tfjs-core';
import { input, model, sequential } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  getRandomState,
  isRandomStateLayer,
  type RandomStateLayer,
  setRandomState,
} from './random-state.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const small = { inputShape: [8, 8, 8, 1] as [number, number, number, number], depth: 2 };

function trainingOutput(net: ReturnType<typeof buildModel>, x: Tensor): number[] {
  const out = net.apply(x, { training: true }) as Tensor | Tensor[];
  return Array.from((Array.isArray(out) ? out[0]! : out).dataSync());
}

describe('getRandomState / setRandomState', () => {
  it('holds one word per random layer and replays the draws after a restore', () => {
    const net = buildModel('unet3d', { ...small, baseFilters: 2, dropout: 0.5, seed: 11 });
    const x = ones([2, 8, 8, 8, 1]);
    const saved = getRandomState(net);
    // depth 2: one SpatialDropout3D per level.
    expect(saved).toHaveLength(2);
    for (const word of saved) expect(word >>> 0).toBe(word);
    const first = trainingOutput(net, x);
    expect(getRandomState(net)).not.toEqual(saved);
    const second = trainingOutput(net, x);
    expect(second).not.toEqual(first);
    setRandomState(net, saved);
    expect(trainingOutput(net, x)).toEqual(first);
    expect(trainingOutput(net, x)).toEqual(second);
  });

  it('makes an unseeded model resumable too', () => {
    const net = buildModel('vnet3d', { ...small, baseFilters: 2, dropout: 0.5 });
    const x = ones([1, 8, 8, 8, 1]);
    const saved = getRandomState(net);
    const first = trainingOutput(net, x);
    setRandomState(net, saved);
    expect(trainingOutput(net, x)).toEqual(first);
  });

  it('does not move at inference', () => {
    const net = buildModel('unet3d', { ...small, baseFilters: 2, seed: 3 });
    const saved = getRandomState(net);
    net.predict(ones([1, 8, 8, 8, 1]));
    expect(getRandomState(net)).toEqual(saved);
  });

  it("covers Myronenko18's VAE sampling and nested models, in layer order", () => {
    const net = buildModel('myronenko2018', {
      ...small,
      baseFilters: 2,
      groups: 1,
      vaeLatentDim: 2,
      dropout: 0.2,
      seed: 5,
    });
    expect(getRandomState(net)).toHaveLength(2);

    const inner = sequential({
      layers: [spatialDropout3d({ rate: 0.5, seed: 1, inputShape: [2, 2, 2, 3] })],
    });
    const x = input({ shape: [2, 2, 2, 3] });
    const outer = model({ inputs: x, outputs: inner.apply(x) as never });
    expect(getRandomState(outer)).toEqual(getRandomState(inner));
    expect(getRandomState(buildModel('unet3d', { ...small, dropout: 0 }))).toEqual([]);
    const mean = input({ shape: [2] });
    const sampler = vaeSampling({ seed: 2 });
    const withSampler = model({ inputs: mean, outputs: sampler.apply([mean, mean]) as never });
    expect(getRandomState(withSampler)).toEqual([sampler.randomState()]);
  });

  it('rejects a state of another architecture or with bad words', () => {
    const net = buildModel('unet3d', { ...small, baseFilters: 2, seed: 1 });
    expect(() => setRandomState(net, [1])).toThrow(
      /the model unet3d\S* has 2 random layers, the state holds 1 words/,
    );
    expect(() => setRandomState(net, [1, -1])).toThrow(/word 1 must be an unsigned 32-bit integer/);
    expect(() => setRandomState(net, [2 ** 32, 0])).toThrow(/word 0 must be an unsigned 32-bit/);
    expect(() => setRandomState(net, [0.5, 0])).toThrow(/word 0 must be an unsigned 32-bit/);
    expect(() => setRandomState(net, null as never)).toThrow(/the state holds null/);
  });
});

describe('the random-layer contract', () => {
  it("models-3d's random layers satisfy it structurally", () => {
    const layers: RandomStateLayer[] = [
      spatialDropout3d({ rate: 0.5, seed: 1 }),
      vaeSampling({ seed: 2 }),
    ];
    expect(layers.every(isRandomStateLayer)).toBe(true);
  });

  it('any object with the two methods takes part; nothing else does', () => {
    let word = 7;
    const counter = {
      randomState: () => word,
      setRandomState: (w: number) => {
        word = w;
      },
    };
    const nested = { name: 'inner', layers: [counter] };
    const outer = { name: 'outer', layers: [{}, null, 3, nested, { randomState: () => 1 }] };
    expect([counter, {}, null, 3, { randomState: () => 1 }].map(isRandomStateLayer)).toEqual([
      true,
      false,
      false,
      false,
      false,
    ]);
    expect(getRandomState(outer)).toEqual([7]);
    setRandomState(outer, [42]);
    expect(word).toBe(42);
    expect(() => setRandomState(outer, [])).toThrow(
      'setRandomState: the model outer has 1 random layers, the state holds 0 words',
    );
  });
});
