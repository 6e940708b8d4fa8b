import '@tensorflow/tfjs-backend-cpu';
import { memory, setBackend } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SMOKE } from '../src/flags.js';
import { resultTable, runRpdl2d } from '../src/run.js';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('runRpdl2d (smoke settings)', () => {
  it('trains six variants and reports Dice and RPD in [0, 1] without leaking tensors', async () => {
    const before = memory().numTensors;
    const result = await runRpdl2d(SMOKE);
    expect(memory().numTensors).toBe(before);
    expect(result.variants.map((v) => `${v.loss}/${v.route}`)).toEqual([
      'wcel/custom loop',
      'dl/custom loop',
      'rpdl/custom loop',
      'rpdl/compile/fit',
      'rpdl/compile/fitDataset',
      'rpdl-ref/custom loop',
    ]);
    for (const v of result.variants) {
      for (const value of [v.dice, v.rpd, ...v.meanProbability]) {
        expect(Number.isFinite(value)).toBe(true);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
      }
      expect(v.meanProbability).toHaveLength(SMOKE.annotators + 1);
      expect(Number.isFinite(v.finalLoss)).toBe(true);
    }
    expect(resultTable(result).split('\n')).toHaveLength(2 + result.variants.length);
  });
});
