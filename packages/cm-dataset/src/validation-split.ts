import { seededRandom, shuffleInPlace } from '@rpdl/random';

/** Training rows split into the rows trained on and the rows held out for validation. */
export interface ValidationSplit {
  train: number[];
  validation: number[];
}

/**
 * A seeded random validation split (the paper holds out 10 % of the training set): round(n ·
 * fraction) rows, at least one when `fraction` > 0, go to `validation`. Both lists keep the
 * rows' original order.
 *
 * @throws RangeError when `rows` is empty, holds duplicates or non-integers, or `fraction` is not
 *   in [0, 1), or the split would leave no training row.
 *
 * @example
 * const { train, test } = leaveOneBoneOut(0);
 * const { train: fit, validation } = validationSplit(train, 0.1, 42); // 50 and 6 rows
 */
export function validationSplit(
  rows: readonly number[],
  fraction: number,
  seed: number,
): ValidationSplit {
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new RangeError('validationSplit: rows must be a non-empty array of row indices');
  }
  const seen = new Set<number>();
  for (const r of rows) {
    if (!Number.isInteger(r) || r < 0) {
      throw new RangeError(`validationSplit: rows must be non-negative integers, got ${r}`);
    }
    if (seen.has(r)) throw new RangeError(`validationSplit: row ${r} appears twice`);
    seen.add(r);
  }
  if (typeof fraction !== 'number' || !(fraction >= 0 && fraction < 1)) {
    throw new RangeError(`validationSplit: fraction must be in [0, 1), got ${fraction}`);
  }
  let count = Math.round(rows.length * fraction);
  if (fraction > 0 && count === 0) count = 1;
  if (count >= rows.length) {
    throw new RangeError(
      `validationSplit: holding out ${count} of ${rows.length} rows leaves none to train on`,
    );
  }
  const order = shuffleInPlace(Uint32Array.from(rows.keys()), seededRandom(seed));
  const held = new Set(order.subarray(0, count));
  const train: number[] = [];
  const validation: number[] = [];
  rows.forEach((r, i) => {
    (held.has(i) ? validation : train).push(r);
  });
  return { train, validation };
}
