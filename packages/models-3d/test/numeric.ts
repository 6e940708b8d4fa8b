import { grad, mul, sum, type Tensor, tensor, tidy } from '@tensorflow/tfjs-core';

import { prng } from '../../../tooling/testing/prng.js';

export { prng };

/** `n` uniform values in [lo, hi) from a seeded PRNG. */
export function uniform(n: number, seed: number, lo = -1, hi = 1): number[] {
  const next = prng(seed);
  return Array.from({ length: n }, () => lo + (hi - lo) * next());
}

/** A float32 tensor of the given shape filled from {@link uniform}. */
export function randomTensor(shape: number[], seed: number, lo = -1, hi = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(uniform(n, seed, lo, hi), shape, 'float32');
}

/** Largest violation of |a − b| ≤ abs + rel·|b| (≤ 0 means all within tolerance). */
export function worstViolation(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  { abs = 0, rel = 0 }: { abs?: number; rel?: number },
): number {
  if (actual.length !== expected.length) {
    throw new Error(`length mismatch: ${actual.length} vs ${expected.length}`);
  }
  let worst = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    const b = expected[i] as number;
    worst = Math.max(worst, Math.abs(a - b) - (abs + rel * Math.abs(b)));
  }
  return worst;
}

/**
 * Central finite differences of a scalar function of a flat parameter vector:
 * (f(p + h·e_i) − f(p − h·e_i)) / 2h for each i.
 */
export function centralDifferences(
  f: (values: number[]) => number,
  values: number[],
  h: number,
): number[] {
  return values.map((_, i) => {
    const plus = [...values];
    const minus = [...values];
    plus[i] = (plus[i] as number) + h;
    minus[i] = (minus[i] as number) - h;
    return (f(plus) - f(minus)) / (2 * h);
  });
}

/**
 * How far tfjs's gradient of `Σ w·f(x)` (w a fixed random weight, so every output counts) lies
 * from its central differences with step `h`, at a random x in [−2, 2]; ≤ 0 means within
 * `abs + rel·|numeric|` everywhere (see {@link worstViolation}).
 *
 * @example
 * const violation = gradientViolation((x) => relu(x), [1, 2, 2], { seeds: [1, 2], h: 1e-2, abs: 1e-3 });
 * expect(violation).toBeLessThanOrEqual(0);
 */
export function gradientViolation(
  f: (x: Tensor) => Tensor,
  shape: number[],
  { seeds: [weightSeed, startSeed], h, abs, rel }: GradientCheck,
): number {
  const weights = randomTensor(shape, weightSeed);
  const start = uniform(
    shape.reduce((a, b) => a * b, 1),
    startSeed,
    -2,
    2,
  );
  const loss = (x: Tensor) => sum(mul(f(x), weights)) as Tensor;
  const analytic = tidy(() => grad(loss)(tensor(start, shape)).dataSync());
  const numeric = centralDifferences(
    (v) => tidy(() => loss(tensor(v, shape)).dataSync()[0] as number),
    start,
    h,
  );
  return worstViolation(analytic, numeric, { abs, rel });
}

export interface GradientCheck {
  /** Seeds of the weights w and of the point x. */
  seeds: [number, number];
  /** The finite-difference step. */
  h: number;
  abs?: number;
  rel?: number;
}
