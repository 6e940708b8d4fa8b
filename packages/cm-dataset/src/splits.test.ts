import { describe, expect, it } from 'vitest';
import { leaveOneBoneOut, leaveOneSurgeonOut } from './index.js';

describe('leave-one-out splits on the 9 × 7 CM layout', () => {
  it('holds out one bone (Experiment 1)', () => {
    const { train, test } = leaveOneBoneOut(8);
    expect(test).toEqual([56, 57, 58, 59, 60, 61, 62]);
    expect(train).toHaveLength(56);
    expect(train.at(-1)).toBe(55);
  });

  it('holds out one surgeon (Experiment 2)', () => {
    const { train, test } = leaveOneSurgeonOut(3);
    expect(test).toEqual([3, 10, 17, 24, 31, 38, 45, 52, 59]);
    expect(train).toHaveLength(54);
    expect(train.some((r) => r % 7 === 3)).toBe(false);
  });

  it('partitions every row exactly once in each fold', () => {
    for (let b = 0; b < 9; b++) {
      const { train, test } = leaveOneBoneOut(b);
      expect([...train, ...test].sort((x, y) => x - y)).toEqual([...Array(63).keys()]);
    }
  });

  it('partitions every row once in each surgeon fold, and generalises to B × S', () => {
    for (let s = 0; s < 7; s++) {
      const { train, test } = leaveOneSurgeonOut(s);
      expect(test).toHaveLength(9);
      expect(test.every((r) => r % 7 === s)).toBe(true);
      expect([...train, ...test].sort((x, y) => x - y)).toEqual([...Array(63).keys()]);
    }
    const layout = { bones: 3, surgeons: 4 };
    expect(leaveOneBoneOut(1, layout).test).toEqual([4, 5, 6, 7]);
    expect(leaveOneSurgeonOut(3, layout).test).toEqual([3, 7, 11]);
    expect(leaveOneSurgeonOut(3, layout).train).toEqual([0, 1, 2, 4, 5, 6, 8, 9, 10]);
  });

  it('rejects out-of-range folds and bad layouts', () => {
    expect(() => leaveOneBoneOut(9)).toThrow(/bone must be an integer in 0\.\.8, got 9/);
    expect(() => leaveOneSurgeonOut(-1)).toThrow(/surgeon/);
    expect(() => leaveOneBoneOut(0, { bones: 0, surgeons: 7 })).toThrow(/layout\.bones/);
  });
});
