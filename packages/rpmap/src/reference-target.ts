import { assertPenalty } from './validate.js';

export interface ReferenceTargetOptions {
  /** Value for voxels no annotator marked, before division; must be < 0 (authors' code: −7). */
  penalty: number;
  /** Every value is divided by this; must be > 0 (authors' code: 6 or 7). */
  divisor: number;
}

/**
 * The training target of the authors' published code for one annotation `mask` of an image
 * whose annotation counts are `counts`:
 *
 * 1. start from `mask × counts`;
 * 2. voxels with count 0 (no annotator marked them) get `penalty`;
 * 3. voxels whose value is exactly 1 (marked by this annotator alone) get 0;
 * 4. everything is divided by `divisor`.
 *
 * Voxels other annotators marked but this one did not are 0 too. This target is used with
 * `referenceRewardPenaltyDiceLoss` in `@rpdl/losses`; it is not the paper's map M (Fig. 2).
 *
 * @param mask one flattened binary annotation.
 * @param counts annotation counts of the same image (see `countAnnotations`), the same length.
 * @throws RangeError on unequal lengths, a non-binary mask, a count that is not a non-negative
 *   integer, a marked voxel whose count is 0, a penalty ≥ 0 or a divisor that is not > 0.
 *
 * @example
 * // counts of 3 annotators; this annotator marked voxels 0, 1 and 3
 * referenceTarget([1, 1, 0, 1, 0], [3, 1, 2, 2, 0], { penalty: -7, divisor: 7 });
 * // Float32Array [3/7, 0, 0, 2/7, -1]
 */
export function referenceTarget(
  mask: ArrayLike<number>,
  counts: ArrayLike<number>,
  options: ReferenceTargetOptions,
): Float32Array {
  const fn = 'referenceTarget';
  if (options == null) {
    throw new TypeError(`${fn}: options { penalty, divisor } are required`);
  }
  const { penalty, divisor } = options;
  assertPenalty(fn, penalty);
  if (typeof divisor !== 'number' || !Number.isFinite(divisor) || divisor <= 0) {
    throw new RangeError(`${fn}: divisor must be a finite number > 0, got ${String(divisor)}`);
  }
  if (mask == null || counts == null || typeof mask.length !== 'number') {
    throw new TypeError(`${fn}: mask and counts must be array-likes of numbers`);
  }
  if (mask.length !== counts.length) {
    throw new RangeError(
      `${fn}: mask length ${mask.length} differs from counts length ${counts.length}`,
    );
  }
  const target = new Float32Array(mask.length);
  for (let i = 0; i < mask.length; i++) {
    const m = mask[i]!;
    const c = counts[i]!;
    if (m !== 0 && m !== 1) {
      throw new RangeError(`${fn}: mask[${i}] = ${m}: the annotation must be binary (0 or 1)`);
    }
    if (!Number.isInteger(c) || c < 0) {
      throw new RangeError(`${fn}: counts[${i}] = ${c}: counts must be non-negative integers`);
    }
    if (m === 1 && c === 0) {
      throw new RangeError(
        `${fn}: mask[${i}] is marked but counts[${i}] = 0; the counts must include this annotation`,
      );
    }
    let value = m * c;
    if (c === 0) value = penalty;
    else if (value === 1) value = 0;
    target[i] = value / divisor;
  }
  return target;
}
