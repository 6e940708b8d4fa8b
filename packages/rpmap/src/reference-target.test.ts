import { describe, expect, it } from 'vitest';
import { countAnnotations, referenceTarget } from './index.js';

describe('referenceTarget', () => {
  it('reproduces the authors-code target step by step (hand-derived)', () => {
    // 7 annotators; counts per voxel:      [7, 3, 1, 0, 2, 1]
    // this annotator's mask:                [1, 1, 1, 0, 0, 0]
    // mask × counts:                        [7, 3, 1, 0, 0, 0]
    // count 0 → penalty −7:                 [7, 3, 1, -7, 0, 0]
    // value exactly 1 → 0:                  [7, 3, 0, -7, 0, 0]
    // ÷ 7:                                  [1, 3/7, 0, -1, 0, 0]
    const target = referenceTarget([1, 1, 1, 0, 0, 0], [7, 3, 1, 0, 2, 1], {
      penalty: -7,
      divisor: 7,
    });
    expect(target).toBeInstanceOf(Float32Array);
    expect(Array.from(target)).toEqual([1, Math.fround(3 / 7), 0, -1, 0, 0]);
    // divisor 6 (the other setting in their code): 7/6 may exceed 1, penalty −7/6
    const six = referenceTarget([1, 0], [7, 0], { penalty: -7, divisor: 6 });
    expect(Array.from(six)).toEqual([Math.fround(7 / 6), Math.fround(-7 / 6)]);
  });

  it('works from countAnnotations of the same masks', () => {
    const masks = [
      [1, 1, 0, 0],
      [1, 0, 1, 0],
    ];
    const counts = countAnnotations(masks);
    // annotator 0: [1·2, 1·1 → 0, 0, penalty] / 2
    expect(Array.from(referenceTarget(masks[0]!, counts, { penalty: -2, divisor: 2 }))).toEqual([
      1, 0, 0, -1,
    ]);
  });

  it('rejects bad input', () => {
    const o = { penalty: -7, divisor: 7 };
    expect(() => referenceTarget([1, 0], [1], o)).toThrow(/length 2 differs from counts length 1/);
    expect(() => referenceTarget([2], [2], o)).toThrow(/mask\[0\] = 2/);
    expect(() => referenceTarget([Number.NaN], [1], o)).toThrow(/NaN/);
    expect(() => referenceTarget([0], [1.5], o)).toThrow(/counts\[0\] = 1.5/);
    expect(() => referenceTarget([0], [-1], o)).toThrow(/non-negative integers/);
    expect(() => referenceTarget([1], [0], o)).toThrow(/counts must include this annotation/);
    expect(() => referenceTarget([1], [1], { penalty: 7, divisor: 7 })).toThrow(/penalty/);
    expect(() => referenceTarget([1], [1], { penalty: -7, divisor: 0 })).toThrow(/divisor/);
    expect(() =>
      referenceTarget([1], [1], undefined as unknown as { penalty: number; divisor: number }),
    ).toThrow(/required/);
  });
});
