import { describe, expect, it } from 'vitest';
import { countAnnotations } from './index.js';

describe('countAnnotations', () => {
  it('counts annotators per voxel (hand-derived)', () => {
    // voxel:            0  1  2  3
    const a = [1, 1, 0, 0];
    const b = [1, 0, 0, 1];
    const c = [1, 1, 0, 0];
    expect(Array.from(countAnnotations([a, b, c]))).toEqual([3, 2, 0, 1]);
  });

  it('accepts typed arrays', () => {
    const counts = countAnnotations([Uint8Array.of(1, 0), Int8Array.of(1, 1)]);
    expect(counts).toBeInstanceOf(Uint16Array);
    expect(Array.from(counts)).toEqual([2, 1]);
  });

  it('rejects an empty list, unequal lengths and non-binary values', () => {
    expect(() => countAnnotations([])).toThrow(/non-empty list/);
    expect(() => countAnnotations([[0, 1], [1]])).toThrow(/length 1 differs/);
    expect(() => countAnnotations([[0, 2]])).toThrow(/\[0\]\[1\] = 2/);
    expect(() => countAnnotations([[0, Number.NaN]])).toThrow(/NaN/);
  });
});
