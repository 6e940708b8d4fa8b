import { describe, expect, it } from 'vitest';
import { meanStd } from './summary.js';

describe('meanStd', () => {
  it('hand-derived cases: population standard deviation (divisor n)', () => {
    // mean 2.5; squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5; 5 / 4 = 1.25
    expect(meanStd([1, 2, 3, 4])).toEqual({ mean: 2.5, std: Math.sqrt(1.25) });
    expect(meanStd([7])).toEqual({ mean: 7, std: 0 });
    expect(meanStd([1, 3])).toEqual({ mean: 2, std: 1 });
  });

  it('takes typed arrays, in their own precision', () => {
    const values = new Float32Array([0.5, 0.75]);
    expect(meanStd(values)).toEqual({ mean: 0.625, std: 0.125 });
    expect(meanStd(Uint8Array.of(0, 2))).toEqual({ mean: 1, std: 1 });
  });

  it('matches a two-pass float64 reference on a longer sample', () => {
    const values = Array.from({ length: 101 }, (_, i) => Math.sin(i) * 0.3 + 0.6);
    const mean = values.reduce((a, v) => a + v, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
    const got = meanStd(values);
    expect(got.mean).toBe(mean);
    expect(got.std).toBe(std);
  });

  it('refuses an empty sample and values that are not finite', () => {
    expect(() => meanStd([])).toThrow(new RangeError('meanStd: need at least one value'));
    expect(() => meanStd([1, Number.NaN])).toThrow(
      new RangeError('meanStd: values must be finite, got NaN'),
    );
    expect(() => meanStd(new Float64Array([Number.POSITIVE_INFINITY]))).toThrow(
      'meanStd: values must be finite, got Infinity',
    );
  });
});
