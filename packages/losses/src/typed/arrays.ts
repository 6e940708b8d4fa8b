/**
 * Checks for the typed-array metrics: one flattened volume per argument, all of one length,
 * each value in the range its role allows. Values are never coerced.
 */

export type Volume = ArrayLike<number>;

/** Fails unless every volume is an array-like of the first one's length, and that length > 0. */
export function assertSameLength(fn: string, volumes: Readonly<Record<string, Volume>>): number {
  let reference: { name: string; length: number } | undefined;
  for (const [name, v] of Object.entries(volumes)) {
    if (v == null || typeof v !== 'object' || typeof v.length !== 'number') {
      throw new TypeError(`${fn}: ${name} must be an array or typed array, got ${describe(v)}`);
    }
    if (reference === undefined) {
      if (v.length === 0) throw new RangeError(`${fn}: ${name} is empty`);
      reference = { name, length: v.length };
    } else if (v.length !== reference.length) {
      throw new RangeError(
        `${fn}: ${reference.name} has ${reference.length} voxels and ${name} ${v.length}; they must be equal`,
      );
    }
  }
  return reference?.length ?? 0;
}

/** Every value 0 or 1 (NaN fails). */
export function assertBinary(fn: string, name: string, v: Volume): void {
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (x !== 0 && x !== 1) {
      throw new RangeError(`${fn}: ${name}[${i}] = ${x}; expected a binary mask (0 or 1)`);
    }
  }
}

/** Every value in [lo, hi] (NaN fails). */
export function assertInRange(
  fn: string,
  name: string,
  v: Volume,
  lo: number,
  hi: number,
  what: string,
): void {
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (!(x >= lo && x <= hi)) {
      throw new RangeError(`${fn}: ${name}[${i}] = ${x}; expected ${what} in [${lo}, ${hi}]`);
    }
  }
}

export function assertProbabilities(fn: string, name: string, v: Volume): void {
  assertInRange(fn, name, v, 0, 1, 'a probability');
}

/**
 * K ≥ 1 binary masks of one image, all of one length.
 * @returns that length.
 */
export function assertMasks(fn: string, masks: readonly Volume[], name = 'masks'): number {
  if (!Array.isArray(masks) || masks.length === 0) {
    throw new RangeError(`${fn}: ${name} must be a non-empty list of binary masks`);
  }
  const named: Record<string, Volume> = {};
  masks.forEach((m, k) => {
    named[`${name}[${k}]`] = m;
  });
  const length = assertSameLength(fn, named);
  for (let k = 0; k < masks.length; k++) assertBinary(fn, `${name}[${k}]`, masks[k]!);
  return length;
}

/** The fraction of masks marking each voxel, in float64 (inputs already checked). */
export function maskMean(masks: readonly Volume[], length: number): Float64Array {
  const mean = new Float64Array(length);
  for (const mask of masks) for (let i = 0; i < length; i++) mean[i]! += mask[i]!;
  for (let i = 0; i < length; i++) mean[i]! /= masks.length;
  return mean;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return typeof value;
}
