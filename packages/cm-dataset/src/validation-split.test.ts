import { describe, expect, it } from 'vitest';
import { leaveOneBoneOut, normalizeInput, validationSplit } from './index.js';

describe('validationSplit', () => {
  it('holds out round(10 %) of a fold, disjoint, order kept, same for a seed', () => {
    const { train } = leaveOneBoneOut(3);
    const a = validationSplit(train, 0.1, 7);
    expect(a.validation).toHaveLength(6);
    expect(a.train).toHaveLength(50);
    expect([...a.train, ...a.validation].sort((p, q) => p - q)).toEqual(train);
    expect(a.train).toEqual([...a.train].sort((p, q) => p - q));
    expect(validationSplit(train, 0.1, 7)).toEqual(a);
    expect(validationSplit(train, 0.1, 8).validation).not.toEqual(a.validation);
  });

  it('holds out at least one row for a positive fraction, none for 0', () => {
    expect(validationSplit([4, 5, 6], 0.01, 1).validation).toHaveLength(1);
    expect(validationSplit([4, 5, 6], 0, 1)).toEqual({ train: [4, 5, 6], validation: [] });
  });

  it('refuses bad input', () => {
    expect(() => validationSplit([], 0.1, 1)).toThrow(/non-empty array/);
    expect(() => validationSplit([1, 1], 0.1, 1)).toThrow(/row 1 appears twice/);
    expect(() => validationSplit([1, -2], 0.1, 1)).toThrow(/non-negative integers, got -2/);
    expect(() => validationSplit([1, 2], 1, 1)).toThrow(/fraction must be in \[0, 1\), got 1/);
    expect(() => validationSplit([1], 0.5, 1)).toThrow(/leaves none to train on/);
  });
});

describe('normalizeInput', () => {
  it('maps labels 0..13 to x/6.5 − 1 by default', () => {
    const out = normalizeInput(Int8Array.of(0, 13, 1, 6));
    expect([...out]).toEqual([-1, 1, Math.fround(1 / 6.5 - 1), Math.fround(6 / 6.5 - 1)]);
  });
  it('takes another scale and shift and writes at an offset', () => {
    const target = new Float32Array(3);
    normalizeInput([2, 4], { scale: 2, shift: 0.5 }, target, 1);
    expect([...target]).toEqual([0, 1.5, 2.5]);
  });
  it('refuses a zero scale, a non-finite shift and a short target', () => {
    expect(() => normalizeInput([1], { scale: 0 })).toThrow(/scale must be a finite non-zero/);
    expect(() => normalizeInput([1], { shift: Number.NaN })).toThrow(/shift must be a finite/);
    expect(() => normalizeInput([1, 2], {}, new Float32Array(2), 1)).toThrow(
      /cannot hold 2 values at offset 1/,
    );
  });
});
