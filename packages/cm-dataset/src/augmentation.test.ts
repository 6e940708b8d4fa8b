import { describe, expect, it } from 'vitest';
import {
  applyTransform,
  compose,
  cubeSymmetries,
  identityAugmentation,
  mirror,
  quarterTurn,
  referenceAugmentation,
  transformedShape,
  transformKey,
} from './index.js';

type Cube = number[][][];
const range = (n: number) => [...Array(n).keys()];

/** Nested-array reference, written from the definitions without the index algebra under test. */
function cubeOf(n: number): Cube {
  return range(n).map((i) => range(n).map((j) => range(n).map((k) => n * n * i + n * j + k)));
}
function flat(c: Cube): number[] {
  return c.flat(2);
}
function flipAxis(c: Cube, axis: number): Cube {
  const n = c.length;
  return range(n).map((i) =>
    range(n).map((j) =>
      range(n).map((k) => {
        const idx = [i, j, k];
        idx[axis] = n - 1 - idx[axis]!;
        return c[idx[0]!]![idx[1]!]![idx[2]!]!;
      }),
    ),
  );
}
/** One quarter turn in the plane (a, b): out[p][q] = in[q][n−1−p] on those axes. */
function turn(c: Cube, a: number, b: number): Cube {
  const n = c.length;
  return range(n).map((i) =>
    range(n).map((j) =>
      range(n).map((k) => {
        const o = [i, j, k];
        const src = [...o];
        src[a] = o[b]!;
        src[b] = n - 1 - o[a]!;
        return c[src[0]!]![src[1]!]![src[2]!]!;
      }),
    ),
  );
}
function referenceByDefinition(c: Cube, index: number): Cube {
  const rotation = Math.floor(index / 8);
  const m = index % 8;
  let out = c;
  for (let axis = 0; axis < 3; axis++) if ((m >> axis) & 1) out = flipAxis(out, axis);
  const a = 1 + Math.floor(rotation / 9);
  const b = 1 + (Math.floor(rotation / 3) % 3);
  const cc = 1 + (rotation % 3);
  for (let t = 0; t < a; t++) out = turn(out, 0, 1);
  for (let t = 0; t < b; t++) out = turn(out, 0, 2);
  for (let t = 0; t < cc; t++) out = turn(out, 1, 2);
  return out;
}

describe('elementary transforms on a 2×2×2 cube holding 4i + 2j + k', () => {
  const v = Float32Array.from(range(8));
  const shape = [2, 2, 2] as const;

  it('mirrors each axis', () => {
    expect([...applyTransform(v, shape, mirror(0))]).toEqual([4, 5, 6, 7, 0, 1, 2, 3]);
    expect([...applyTransform(v, shape, mirror(1))]).toEqual([2, 3, 0, 1, 6, 7, 4, 5]);
    expect([...applyTransform(v, shape, mirror(2))]).toEqual([1, 0, 3, 2, 5, 4, 7, 6]);
  });

  it('turns a quarter in the plane (0, 1): out[p][q][r] = in[q][1−p][r]', () => {
    expect([...applyTransform(v, shape, quarterTurn(0, 1))]).toEqual([2, 3, 6, 7, 0, 1, 4, 5]);
  });

  it('reference index 0 = turns (0,1), (0,2), (1,2) once each: out[p][q][r] = in[r][q][1−p]', () => {
    // Hand-derived: 4r + 2q + (1 − p) in (p, q, r) order.
    const t = referenceAugmentation().transform(0);
    expect([...applyTransform(v, shape, t)]).toEqual([1, 5, 3, 7, 0, 4, 2, 6]);
  });

  it('reference index 1 mirrors axis 0 before rotating: out[p][q][r] = in[1−r][q][1−p]', () => {
    const t = referenceAugmentation().transform(1);
    expect([...applyTransform(v, shape, t)]).toEqual([5, 1, 7, 3, 4, 0, 6, 2]);
  });

  it('four quarter turns are the identity and compose is associative', () => {
    const q = quarterTurn(1, 2);
    const four = compose(compose(q, q), compose(q, q));
    expect(transformKey(four)).toBe(transformKey(identityAugmentation().transform(0)));
    const [a, b, c] = [mirror(0), quarterTurn(0, 2), quarterTurn(0, 1)];
    expect(transformKey(compose(compose(a, b), c))).toBe(transformKey(compose(a, compose(b, c))));
  });

  it('refuses a degenerate plane', () => {
    expect(() => quarterTurn(1, 1)).toThrow(/axes must differ/);
  });
});

describe('referenceAugmentation on a 3×3×3 cube with distinct values', () => {
  const c = cubeOf(3);
  const v = Float32Array.from(flat(c));
  const aug = referenceAugmentation();

  it('has 216 transforms, each equal to its definition (mirror bits, then a, b, c turns)', () => {
    expect(aug.count).toBe(216);
    for (let index = 0; index < 216; index++) {
      const got = applyTransform(v, [3, 3, 3], aug.transform(index));
      expect([...got], `index ${index}`).toEqual(flat(referenceByDefinition(c, index)));
    }
  });

  it('index 215 (three turns in each plane, all mirrors): out[p][q][r] = in[2−r][q][2−p]', () => {
    // Hand-derived: three quarter turns invert one turn, out[p][q] = in[n−1−q][p] per plane;
    // chaining the mirrors and the three planes gives 9(2 − r) + 3q + (2 − p).
    expect([...applyTransform(v, [3, 3, 3], aug.transform(215))]).toEqual([
      20, 11, 2, 23, 14, 5, 26, 17, 8, 19, 10, 1, 22, 13, 4, 25, 16, 7, 18, 9, 0, 21, 12, 3, 24, 15,
      6,
    ]);
  });

  it('orders mirrors as index = 4·f2 + 2·f1 + f0 within each rotation', () => {
    const r = aug.transform(8 * 5); // rotation 5, no mirror
    for (let m = 0; m < 8; m++) {
      let expected = flat(c);
      let cube = c;
      for (let axis = 0; axis < 3; axis++) if ((m >> axis) & 1) cube = flipAxis(cube, axis);
      expected = [...applyTransform(Float32Array.from(flat(cube)), [3, 3, 3], r)];
      expect([...applyTransform(v, [3, 3, 3], aug.transform(8 * 5 + m))]).toEqual(expected);
    }
  });

  it('contains exactly the 48 cube symmetries, unevenly weighted', () => {
    const outputs = new Map<string, number>();
    for (let index = 0; index < 216; index++) {
      const key = [...applyTransform(v, [3, 3, 3], aug.transform(index))].join(',');
      outputs.set(key, (outputs.get(key) ?? 0) + 1);
    }
    expect(outputs.size).toBe(48);
    const sym = cubeSymmetries();
    const symOutputs = new Set(
      range(sym.count).map((i) => [...applyTransform(v, [3, 3, 3], sym.transform(i))].join(',')),
    );
    expect(symOutputs.size).toBe(48);
    expect([...outputs.keys()].every((k) => symOutputs.has(k))).toBe(true);
    const weights = new Set(outputs.values());
    expect(weights.size).toBeGreaterThan(1);
    expect([...outputs.values()].reduce((s, w) => s + w, 0)).toBe(216);
  });

  it('refuses indices outside 0..215', () => {
    expect(() => aug.transform(216)).toThrow(/index must be an integer in 0\.\.215, got 216/);
    expect(() => aug.transform(0.5)).toThrow(/0\.\.215/);
    expect(() => cubeSymmetries().transform(-1)).toThrow(/0\.\.47/);
    expect(() => identityAugmentation().transform(1)).toThrow(/0\.\.0/);
  });
});

describe('cubeSymmetries', () => {
  it('lists 48 distinct signed permutations, identity first', () => {
    const sym = cubeSymmetries();
    const keys = new Set(range(48).map((i) => transformKey(sym.transform(i))));
    expect(keys.size).toBe(48);
    expect(transformKey(sym.transform(0))).toBe('0+1+2+');
    // index 8·1 + 5: axes (0, 2, 1), flip axes 0 and 2.
    expect(transformKey(sym.transform(13))).toBe('0-2+1-');
  });
});

describe('applyTransform', () => {
  it('handles non-cubic volumes: a quarter turn of 2×3×1 gives 3×2×1', () => {
    // in[i][j] = 3i + j; out[p][q] = in[q][2 − p]
    const t = quarterTurn(0, 1);
    expect(transformedShape([2, 3, 1], t)).toEqual([3, 2, 1]);
    expect([...applyTransform(Float32Array.from(range(6)), [2, 3, 1], t)]).toEqual([
      2, 5, 1, 4, 0, 3,
    ]);
  });

  it('writes into a batch buffer at an offset and keeps the element type', () => {
    const target = new Uint8Array(10);
    applyTransform(Uint8Array.from(range(8)), [2, 2, 2], mirror(2), target, 2);
    expect([...target]).toEqual([0, 0, 1, 0, 3, 2, 5, 4, 7, 6]);
  });

  it('refuses a source of the wrong size and a short target', () => {
    expect(() => applyTransform(new Float32Array(7), [2, 2, 2], mirror(0))).toThrow(
      /source has 7 values but shape \(2, 2, 2\) needs 8/,
    );
    expect(() =>
      applyTransform(new Float32Array(8), [2, 2, 2], mirror(0), new Float32Array(9), 2),
    ).toThrow(/cannot hold 8 values at offset 2/);
  });
});
