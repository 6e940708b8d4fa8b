import '@tensorflow/tfjs-backend-cpu';
import { setBackend } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { isensee2017 } from './isensee2017.js';
import { myronenko2018 } from './myronenko2018.js';
import { unet3d } from './unet3d.js';
import { vnet3d } from './vnet3d.js';

beforeAll(async () => {
  await setBackend('cpu');
});

// Keras' counts, written out independently of the model code.
const conv = (k: number, cin: number, cout: number) => k ** 3 * cin * cout + cout;
const batchNorm = (c: number) => 4 * c; // γ, β, moving mean, moving variance
const groupNorm = (c: number) => 2 * c; // γ, β
const dense = (inputs: number, units: number) => inputs * units + units;

function unetFamilyParams(cin: number, base: number, depth: number, labels: number, heads: number) {
  const f = (l: number) => base * 2 ** l;
  let total = 0;
  for (let l = 0; l < depth; l++) {
    const inChannels = l === 0 ? cin : f(l - 1);
    total += conv(3, inChannels, f(l)) + batchNorm(f(l)); // first block
    total += 2 * (conv(3, f(l), f(l)) + batchNorm(f(l))); // context module
  }
  for (let l = depth - 2; l >= 0; l--) {
    total += conv(3, f(l + 1), f(l)) + batchNorm(f(l)); // after up-sampling
    total += conv(3, 2 * f(l), f(l)) + batchNorm(f(l)); // after concatenation
    total += conv(1, f(l), f(l)) + batchNorm(f(l));
  }
  for (let l = 0; l < heads; l++) total += conv(1, f(l), labels);
  return total;
}

function myronenkoParams(
  spatial: number,
  cin: number,
  base: number,
  blocks: number[],
  labels: number,
  latent: number,
) {
  const depth = blocks.length;
  const f = (l: number) => base * 2 ** l;
  const resBlock = (c: number) => 2 * (groupNorm(c) + conv(3, c, c));
  let total = conv(3, cin, base);
  blocks.forEach((n, l) => {
    if (l > 0) total += conv(3, f(l - 1), f(l));
    total += n * resBlock(f(l));
  });
  for (let l = depth - 2; l >= 0; l--) total += conv(1, f(l + 1), f(l)) + resBlock(f(l));
  total += conv(1, base, labels);
  const coarse = 16 * (spatial / 2 ** depth) ** 3;
  total += groupNorm(f(depth - 1)) + conv(3, f(depth - 1), 16);
  total += 2 * dense(coarse, latent) + dense(latent, coarse) + conv(1, 16, f(depth - 1));
  for (let l = depth - 2; l >= 0; l--) total += conv(1, f(l + 1), f(l)) + resBlock(f(l));
  total += conv(1, base, cin);
  return total;
}

describe('parameter counts equal the Keras formula', () => {
  it('at the paper defaults (64³×1, base 4, depth 5, 1 label)', () => {
    const unet = unetFamilyParams(1, 4, 5, 1, 1);
    expect(unet).toBe(519_177);
    expect(unet3d().countParams()).toBe(unet);
    expect(vnet3d().countParams()).toBe(unet);
    const isensee = unetFamilyParams(1, 4, 5, 1, 3);
    expect(isensee).toBe(519_203);
    expect(isensee2017().countParams()).toBe(isensee);
  });

  it('for Myronenko18 at its defaults (base 32, blocks 1-2-2-4, latent 128) and a small variant', () => {
    const full = myronenkoParams(64, 1, 32, [1, 2, 2, 4], 1, 128);
    expect(myronenko2018().countParams()).toBe(full);
    expect(full).toBe(20_515_730);
    expect(
      myronenko2018({
        inputShape: [16, 16, 16, 2],
        baseFilters: 8,
        blocksPerLevel: [1, 2, 1],
        depth: 3,
        labels: 3,
        activation: 'softmax',
        vaeLatentDim: 16,
      }).countParams(),
    ).toBe(myronenkoParams(16, 2, 8, [1, 2, 1], 3, 16));
  });

  it('for other settings of the U-net family', () => {
    expect(
      unet3d({ inputShape: [16, 16, 16, 3], baseFilters: 2, depth: 3, labels: 2 }).countParams(),
    ).toBe(unetFamilyParams(3, 2, 3, 2, 1));
    expect(
      isensee2017({ inputShape: [16, 16, 16, 1], baseFilters: 2, depth: 3 }).countParams(),
    ).toBe(unetFamilyParams(1, 2, 3, 1, 2));
  });
});
