import { describe, expect, it } from 'vitest';
import { erfc, twoSidedNormalP } from './normal-tail.js';

describe('erfc and the normal tail', () => {
  // Reference values: scipy.special.erfc (float64).
  it.each([
    [0.1, 0.8875370839817152],
    [1, 0.15729920705028516],
    [2.4, 0.0006885138966450789],
    [2.6, 0.000236034416529349],
    [3, 2.2090496998585445e-5],
    [5, 1.5374597944280347e-12],
    [10, 2.0884875837625446e-45],
  ])('erfc(%d) matches SciPy to 2e-13 relative', (x, expected) => {
    expect(Math.abs(erfc(x) - expected) / expected).toBeLessThan(2e-13);
  });

  it('is 1 at 0, reflects for negative x and stays positive into the subnormal range', () => {
    expect(erfc(0)).toBe(1);
    expect(erfc(-1)).toBeCloseTo(2 - 0.15729920705028516, 15);
    // erfc(27) ≈ 5.237e-319 (subnormal; SciPy returns 0 there); erfc(28) is below the smallest double.
    expect(erfc(27) / 5.237e-319).toBeCloseTo(1, 3);
    expect(erfc(28)).toBe(0);
    expect(twoSidedNormalP(1.959963984540054)).toBeCloseTo(0.05, 12);
    expect(twoSidedNormalP(-1.959963984540054)).toBeCloseTo(0.05, 12);
    expect(() => erfc(Number.NaN)).toThrow(/NaN/);
  });
});
