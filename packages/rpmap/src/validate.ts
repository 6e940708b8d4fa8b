/** Checks shared by every map builder: K ≥ 1 masks of one length, each strictly binary. */
export function assertBinaryMasks(masks: readonly ArrayLike<number>[], what = 'masks'): number {
  if (!Array.isArray(masks) || masks.length === 0) {
    throw new RangeError(
      `${what}: expected a non-empty list of binary annotations, got ${describe(masks)}`,
    );
  }
  let length = 0;
  for (let k = 0; k < masks.length; k++) {
    const mask = masks[k]!;
    if (mask == null || typeof mask.length !== 'number') {
      throw new TypeError(
        `${what}[${k}]: expected an array-like of 0/1 values, got ${describe(mask)}`,
      );
    }
    if (k === 0) length = mask.length;
    if (mask.length !== length) {
      throw new RangeError(
        `${what}[${k}]: length ${mask.length} differs from ${what}[0] length ${length}; all annotations of one image must have the same size`,
      );
    }
    for (let i = 0; i < length; i++) {
      const v = mask[i]!;
      if (v !== 0 && v !== 1) {
        throw new RangeError(`${what}[${k}][${i}] = ${v}: annotations must be binary (0 or 1)`);
      }
    }
  }
  return length;
}

/** The penalty marks voxels no annotator chose; a value ≥ 0 would reward them instead. */
export function assertPenalty(fn: string, penalty: number): void {
  if (typeof penalty !== 'number' || !Number.isFinite(penalty) || penalty >= 0) {
    throw new RangeError(`${fn}: penalty must be a finite number < 0, got ${String(penalty)}`);
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `an empty array`;
  if (value === null) return 'null';
  return typeof value;
}
