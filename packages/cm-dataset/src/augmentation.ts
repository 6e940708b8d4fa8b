/** A permutation of the three spatial axes. */
export type AxisPermutation = readonly [0 | 1 | 2, 0 | 1 | 2, 0 | 1 | 2];

/**
 * A signed axis permutation of a 3-D volume, as an index map from output to input:
 * `out[o0][o1][o2] = in[i0][i1][i2]` with `i_a = flip[a] ? n_a − 1 − o_{axes[a]} : o_{axes[a]}`
 * (`n_a` the input size on axis a). Every mirror, quarter turn and composition of them is one;
 * storing the map instead of a copy keeps augmentation lazy.
 */
export interface AxisTransform {
  /** For each input axis a, the output axis whose coordinate it reads. */
  readonly axes: AxisPermutation;
  /** For each input axis a, whether its coordinate is reversed. */
  readonly flip: readonly [boolean, boolean, boolean];
}

/** An indexed family of transforms, generated on demand. */
export interface Augmentation {
  /** What the family is, for logs. */
  readonly name: string;
  /** Number of transforms; valid indices are 0..count − 1. */
  readonly count: number;
  /** The transform at `index`. */
  transform(index: number): AxisTransform;
}

export const IDENTITY: AxisTransform = Object.freeze({
  axes: Object.freeze([0, 1, 2]) as AxisPermutation,
  flip: Object.freeze([false, false, false]) as readonly [boolean, boolean, boolean],
});

/** Mirror on one axis: `out[…p…] = in[…n−1−p…]`. */
export function mirror(axis: 0 | 1 | 2): AxisTransform {
  const flip: [boolean, boolean, boolean] = [false, false, false];
  flip[axis] = true;
  return { axes: [0, 1, 2], flip };
}

/**
 * One quarter turn in the plane of axes (i, j): `out[p][q] = in[q][n−1−p]` on those two axes,
 * numpy's `rot90(m, 1, axes=(i, j))`.
 */
export function quarterTurn(i: 0 | 1 | 2, j: 0 | 1 | 2): AxisTransform {
  if (i === j) throw new RangeError(`quarterTurn: the two axes must differ, got (${i}, ${j})`);
  const axes: [0 | 1 | 2, 0 | 1 | 2, 0 | 1 | 2] = [0, 1, 2];
  const flip: [boolean, boolean, boolean] = [false, false, false];
  // Input axis i is read at output coordinate q (axis j); input axis j at n−1−p (axis i).
  axes[i] = j;
  axes[j] = i;
  flip[j] = true;
  return { axes, flip };
}

/**
 * The transform that applies `first`, then `second`.
 *
 * @example
 * const t = compose(mirror(0), quarterTurn(0, 1)); // mirror, then rotate
 */
export function compose(first: AxisTransform, second: AxisTransform): AxisTransform {
  // out = second(mid), mid = first(in): i_a reads mid axis first.axes[a], which reads out axis
  // second.axes[first.axes[a]]; two reversals cancel because the sizes along the chain agree.
  const axes = [0, 1, 2].map((a) => second.axes[first.axes[a]!]) as unknown as AxisPermutation;
  const flip = [0, 1, 2].map((a) => first.flip[a] !== second.flip[first.axes[a]!]) as [
    boolean,
    boolean,
    boolean,
  ];
  return { axes, flip };
}

/** A stable text key, equal for equal transforms (e.g. `"0+1-2+"`). */
export function transformKey(t: AxisTransform): string {
  return [0, 1, 2].map((a) => `${t.axes[a]}${t.flip[a] ? '-' : '+'}`).join('');
}

function power(t: AxisTransform, times: number): AxisTransform {
  let out = IDENTITY;
  for (let k = 0; k < times; k++) out = compose(out, t);
  return out;
}

function checkIndex(name: string, index: number, count: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new RangeError(`${name}: index must be an integer in 0..${count - 1}, got ${index}`);
  }
}

function buildReference(): AxisTransform[] {
  // Mirrors: {id}, then that set flipped on axis 0 appended, then on axis 1, then on axis 2.
  let mirrors: AxisTransform[] = [IDENTITY];
  for (const axis of [0, 1, 2] as const) {
    mirrors = [...mirrors, ...mirrors.map((m) => compose(m, mirror(axis)))];
  }
  const rotations: AxisTransform[] = [];
  for (let a = 1; a <= 3; a++) {
    for (let b = 1; b <= 3; b++) {
      for (let c = 1; c <= 3; c++) {
        const r01 = power(quarterTurn(0, 1), a);
        const r02 = power(quarterTurn(0, 2), b);
        const r12 = power(quarterTurn(1, 2), c);
        rotations.push(compose(compose(r01, r02), r12));
      }
    }
  }
  const all: AxisTransform[] = [];
  for (const r of rotations) for (const m of mirrors) all.push(compose(m, r));
  return all;
}

let referenceCache: readonly AxisTransform[] | undefined;
let symmetryCache: readonly AxisTransform[] | undefined;

/**
 * The 216 transforms of the authors' code, in their order: index = rotation·8 + mirror.
 * Mirror m flips axis 0 if bit 0 of m is set, axis 1 for bit 1, axis 2 for bit 2. Rotation
 * r = 9(a−1) + 3(b−1) + (c−1) turns a quarter turns in the plane (0, 1), then b in (0, 2), then
 * c in (1, 2), for a, b, c in 1..3. Each mirrors first, then rotates. Only 48 of them differ
 * (see {@link cubeSymmetries}); some occur more often than others.
 *
 * @example
 * const aug = referenceAugmentation();
 * aug.count; // 216
 * applyTransform(volume, [64, 64, 64], aug.transform(17));
 */
export function referenceAugmentation(): Augmentation {
  referenceCache ??= Object.freeze(buildReference());
  const list = referenceCache;
  return {
    name: 'reference (216: 27 rotations × 8 mirrors)',
    count: list.length,
    transform(index) {
      checkIndex('referenceAugmentation', index, list.length);
      return list[index]!;
    },
  };
}

/**
 * The 48 symmetries of the cube (all signed axis permutations): index = 8·p + m, where p runs
 * over the 6 axis permutations in lexicographic order and m is the flip mask (bit a flips
 * input axis a). Index 0 is the identity.
 *
 * @example
 * cubeSymmetries().count; // 48
 */
export function cubeSymmetries(): Augmentation {
  if (!symmetryCache) {
    const perms: AxisPermutation[] = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ];
    const list: AxisTransform[] = [];
    for (const axes of perms) {
      for (let m = 0; m < 8; m++) {
        list.push({ axes, flip: [(m & 1) !== 0, (m & 2) !== 0, (m & 4) !== 0] });
      }
    }
    symmetryCache = Object.freeze(list);
  }
  const list = symmetryCache;
  return {
    name: 'cube symmetries (48)',
    count: list.length,
    transform(index) {
      checkIndex('cubeSymmetries', index, list.length);
      return list[index]!;
    },
  };
}

/**
 * No augmentation: one transform, the identity. Use it for validation and test streams.
 *
 * @example
 * identityAugmentation().count; // 1
 */
export function identityAugmentation(): Augmentation {
  return {
    name: 'identity',
    count: 1,
    transform(index) {
      checkIndex('identityAugmentation', index, 1);
      return IDENTITY;
    },
  };
}

/** Output shape of a transform applied to a volume of `shape`. */
export function transformedShape(
  shape: readonly [number, number, number],
  t: AxisTransform,
): [number, number, number] {
  const out: [number, number, number] = [0, 0, 0];
  for (let a = 0; a < 3; a++) out[t.axes[a]!] = shape[a]!;
  return out;
}

type Writable = { [index: number]: number; readonly length: number };

/**
 * Writes `t` applied to the C-ordered 3-D volume `source` (shape `shape`) into `target`
 * (allocated when not given), by index arithmetic: one pass, no intermediate copies.
 * `targetOffset` lets a caller fill one slot of a batch buffer.
 *
 * @throws RangeError when `source` length differs from the shape's size or `target` is too short.
 *
 * @example
 * // 2×2×2 volume with values 0..7, one quarter turn in the plane (0, 1)
 * applyTransform(Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]), [2, 2, 2], quarterTurn(0, 1));
 * // Float32Array [2, 3, 6, 7, 0, 1, 4, 5]
 */
export function applyTransform(
  source: ArrayLike<number>,
  shape: readonly [number, number, number],
  t: AxisTransform,
): Float32Array;
export function applyTransform<T extends Writable>(
  source: ArrayLike<number>,
  shape: readonly [number, number, number],
  t: AxisTransform,
  target: T,
  targetOffset?: number,
): T;
export function applyTransform<T extends Writable>(
  source: ArrayLike<number>,
  shape: readonly [number, number, number],
  t: AxisTransform,
  target?: T,
  targetOffset = 0,
): T {
  const [n0, n1, n2] = shape;
  const size = n0 * n1 * n2;
  if (source.length !== size) {
    throw new RangeError(
      `applyTransform: source has ${source.length} values but shape (${shape.join(', ')}) needs ${size}`,
    );
  }
  const out = (target ?? new Float32Array(size)) as T;
  if (targetOffset < 0 || targetOffset + size > out.length) {
    throw new RangeError(
      `applyTransform: target of length ${out.length} cannot hold ${size} values at offset ${targetOffset}`,
    );
  }
  const inStride = [n1 * n2, n2, 1];
  // Signed source stride per output axis, and the source index of output voxel (0, 0, 0).
  const step = [0, 0, 0];
  let base = 0;
  for (let a = 0; a < 3; a++) {
    const s = inStride[a]!;
    if (t.flip[a]) {
      step[t.axes[a]!] = -s;
      base += (shape[a]! - 1) * s;
    } else {
      step[t.axes[a]!] = s;
    }
  }
  const outShape = transformedShape(shape, t);
  const [m0, m1, m2] = outShape;
  const [s0, s1, s2] = step as [number, number, number];
  let o = targetOffset;
  for (let p = 0, i0 = base; p < m0; p++, i0 += s0) {
    for (let q = 0, i1 = i0; q < m1; q++, i1 += s1) {
      for (let r = 0, i2 = i1; r < m2; r++, i2 += s2) out[o++] = source[i2]!;
    }
  }
  return out;
}
