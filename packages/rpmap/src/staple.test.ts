import { describe, expect, it } from 'vitest';
import { prng } from '../../../tooling/testing/prng.js';
import { staple } from './index.js';

/**
 * Binary STAPLE written straight from the equations, with plain products (no logarithms), for
 * small cases where the products cannot underflow.
 */
function staple64(
  masks: number[][],
  maxIterations = 100,
  tolerance = 1e-7,
  prior?: number,
): {
  probability: number[];
  sensitivity: number[];
  specificity: number[];
  iterations: number;
  converged: boolean;
} {
  const k = masks.length;
  const n = masks[0]!.length;
  const f = prior ?? masks.flat().reduce((a, b) => a + b, 0) / (k * n);
  let p = Array<number>(k).fill(0.99);
  let q = Array<number>(k).fill(0.99);
  const posterior = () =>
    Array.from({ length: n }, (_, i) => {
      let a = 1;
      let b = 1;
      for (let j = 0; j < k; j++) {
        const d = masks[j]![i]!;
        a *= d === 1 ? p[j]! : 1 - p[j]!;
        b *= d === 1 ? 1 - q[j]! : q[j]!;
      }
      return (f * a) / (f * a + (1 - f) * b);
    });
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    const w = posterior();
    const sw = w.reduce((s, v) => s + v, 0);
    const sv = n - sw;
    const nextP = masks.map((m) => m.reduce((s, d, i) => s + w[i]! * d, 0) / sw);
    const nextQ = masks.map((m) => m.reduce((s, d, i) => s + (1 - w[i]!) * (1 - d), 0) / sv);
    let change = 0;
    for (let j = 0; j < k; j++) {
      change = Math.max(change, Math.abs(nextP[j]! - p[j]!), Math.abs(nextQ[j]! - q[j]!));
    }
    p = nextP;
    q = nextQ;
    iterations++;
    if (change < tolerance) {
      converged = true;
      break;
    }
  }
  return { probability: posterior(), sensitivity: p, specificity: q, iterations, converged };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, digits = 10) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i]!, digits);
}

describe('staple', () => {
  it('two disagreeing annotators, two voxels: everything ½ after two iterations (hand-derived)', () => {
    // D = voxel 0: (1, 0), voxel 1: (0, 1); f = ½. Iteration 1: a = b = 0.99·0.01 → W = ½;
    // p = q = ½·1 / 1 = ½. Iteration 2: a = b = ¼ → W = ½, p = q = ½: no change → converged.
    const result = staple([
      [1, 0],
      [0, 1],
    ]);
    expect(Array.from(result.probability)).toEqual([0.5, 0.5]);
    expect(Array.from(result.sensitivity)).toEqual([0.5, 0.5]);
    expect(Array.from(result.specificity)).toEqual([0.5, 0.5]);
    expect(result.iterations).toBe(2);
    expect(result.converged).toBe(true);
  });

  it('one EM iteration on two voxels (hand-derived)', () => {
    // D = voxel 0: (1, 1), voxel 1: (0, 1); f = 3/4.
    // E: voxel 0: a = 0.99², b = 0.01² → W₀ = 0.75·0.9801 / (0.75·0.9801 + 0.25·0.0001);
    //    voxel 1: a = 0.01·0.99 = b → W₁ = 0.75.
    const w0 = (0.75 * 0.9801) / (0.75 * 0.9801 + 0.25 * 0.0001);
    const w1 = 0.75;
    // M: p₁ = W₀ / (W₀ + W₁), p₂ = 1; q₁ = (1 − W₁) / (2 − W₀ − W₁), q₂ = 0
    const p1 = w0 / (w0 + w1);
    const q1 = (1 - w1) / (2 - w0 - w1);
    // final E-step with p₂ = 1, q₂ = 0: voxel 0: a = p₁·1, b = (1 − q₁)·1;
    // voxel 1: a = (1 − p₁)·1, b = q₁·1
    const f = 0.75;
    const final0 = (f * p1) / (f * p1 + (1 - f) * (1 - q1));
    const final1 = (f * (1 - p1)) / (f * (1 - p1) + (1 - f) * q1);
    const result = staple(
      [
        [1, 0],
        [1, 1],
      ],
      { maxIterations: 1 },
    );
    expectClose(result.sensitivity, [p1, 1], 14);
    expectClose(result.specificity, [q1, 0], 14);
    expectClose(result.probability, [final0, final1], 14);
    expect(result.iterations).toBe(1);
    expect(result.converged).toBe(false);
  });

  it('agrees with a float64 reference without logarithms (random cases)', () => {
    const rand = prng(23);
    for (let trial = 0; trial < 25; trial++) {
      const k = 2 + Math.floor(rand() * 5);
      const n = 4 + Math.floor(rand() * 40);
      // annotators who mostly agree on a shape, each with their own errors
      const truth = Array.from({ length: n }, () => (rand() < 0.35 ? 1 : 0));
      const masks = Array.from({ length: k }, () => {
        const flip = 0.05 + 0.25 * rand();
        return truth.map((t) => (rand() < flip ? 1 - t : t));
      });
      const options =
        trial % 3 === 0
          ? { prior: 0.2 + 0.6 * rand() }
          : trial % 3 === 1
            ? { maxIterations: 1 + Math.floor(rand() * 5) }
            : { tolerance: 1e-4 };
      const expected = staple64(masks, options.maxIterations, options.tolerance, options.prior);
      const result = staple(masks, options);
      expect(result.iterations).toBe(expected.iterations);
      expect(result.converged).toBe(expected.converged);
      expectClose(result.sensitivity, expected.sensitivity, 9);
      expectClose(result.specificity, expected.specificity, 9);
      expectClose(result.probability, expected.probability, 9);
    }
  });

  it('recovers a consensus: identical annotators converge to certainty', () => {
    const mask = [1, 1, 0, 0, 1, 0];
    const result = staple([mask, mask, mask]);
    expect(result.converged).toBe(true);
    for (let i = 0; i < mask.length; i++) {
      expect(Math.abs(result.probability[i]! - mask[i]!)).toBeLessThan(1e-6);
    }
    for (const v of [...result.sensitivity, ...result.specificity])
      expect(v).toBeGreaterThan(0.999);
  });

  it('keeps p and q in [0, 1] and W finite as they reach 1 (sums rounding above 1 gave NaN)', () => {
    // converges with p₁ = p₃ = 1 and q₁ = q₂ = 1 to rounding
    const result = staple([
      [1, 1, 0, 0],
      [1, 0, 0, 0],
      [1, 1, 1, 0],
    ]);
    expect(result.converged).toBe(true);
    expectClose(result.probability, [1, 1, 0, 0], 6);
    expectClose(result.sensitivity, [1, 0.5, 1], 6);
    expectClose(result.specificity, [1, 1, 0.5], 6);
    const rand = prng(77);
    for (let trial = 0; trial < 40; trial++) {
      const n = 3 + Math.floor(rand() * 10);
      const masks = Array.from({ length: 2 + Math.floor(rand() * 5) }, () =>
        Array.from({ length: n }, () => (rand() < 0.5 ? 1 : 0)),
      );
      const r = staple(masks, { maxIterations: 300, tolerance: 1e-12 });
      for (const v of [...r.sensitivity, ...r.specificity, ...r.probability]) {
        expect(v >= 0 && v <= 1).toBe(true);
      }
    }
  });

  it('stays finite with many annotators, where plain products underflow', () => {
    // 400 annotators: 0.99^400·0.01^k products fall below 1e-308 for k ≥ 155
    const rand = prng(4);
    const truth = Array.from({ length: 50 }, () => (rand() < 0.5 ? 1 : 0));
    const masks = Array.from({ length: 400 }, () => truth.map((t) => (rand() < 0.1 ? 1 - t : t)));
    const result = staple(masks);
    for (let i = 0; i < truth.length; i++) {
      expect(Number.isFinite(result.probability[i])).toBe(true);
      expect(Math.round(result.probability[i]!)).toBe(truth[i]);
    }
  });

  it('handles masks that are all empty (default prior 0): probability 0', () => {
    const result = staple([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(Array.from(result.probability)).toEqual([0, 0, 0]);
    expect(Array.from(result.specificity)).toEqual([1, 1]);
    // no voxel informs the sensitivities: they keep their initial value
    expect(Array.from(result.sensitivity)).toEqual([0.99, 0.99]);
  });

  it('rejects bad masks and options', () => {
    expect(() => staple([])).toThrow(/non-empty list/);
    expect(() => staple([[1, 0], [1]])).toThrow(/length 1 differs/);
    expect(() => staple([[1, 2]])).toThrow(/masks\[0\]\[1\] = 2/);
    const masks = [
      [1, 0],
      [1, 1],
    ];
    expect(() => staple(masks, { prior: 0 })).toThrow(/prior must be a number in \(0, 1\), got 0/);
    expect(() => staple(masks, { prior: 1 })).toThrow(/prior/);
    expect(() => staple(masks, { prior: Number.NaN })).toThrow(/prior/);
    expect(() => staple(masks, { maxIterations: 0 })).toThrow(
      /maxIterations must be a positive integer, got 0/,
    );
    expect(() => staple(masks, { maxIterations: 2.5 })).toThrow(/maxIterations/);
    expect(() => staple(masks, { tolerance: 0 })).toThrow(/tolerance must be a finite number > 0/);
    expect(() => staple(masks, { tolerance: Number.POSITIVE_INFINITY })).toThrow(/tolerance/);
    expect(() => staple(masks, null as unknown as object)).toThrow(/options must be an object/);
  });
});
