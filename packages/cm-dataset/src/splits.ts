/** Rows of a B-bones × S-surgeons dataset, where row = bone·S + surgeon (0-based). */
export interface DatasetLayout {
  bones: number;
  surgeons: number;
}

/** Train/test row indices of one cross-validation fold, both ascending. */
export interface Split {
  train: number[];
  test: number[];
}

/** The published CM layout: 9 bones, 7 surgeons, 63 rows. */
export const CM_LAYOUT: Readonly<DatasetLayout> = Object.freeze({ bones: 9, surgeons: 7 });

function assertLayout(layout: DatasetLayout): void {
  for (const key of ['bones', 'surgeons'] as const) {
    const v = layout[key];
    if (!Number.isInteger(v) || v < 1) {
      throw new RangeError(`layout.${key} must be a positive integer, got ${v}`);
    }
  }
}

function assertIndex(name: string, value: number, count: number): void {
  if (!Number.isInteger(value) || value < 0 || value >= count) {
    throw new RangeError(`${name} must be an integer in 0..${count - 1}, got ${value}`);
  }
}

/**
 * Experiment 1 fold: the held-out bone's S rows are the test set, all other rows train.
 *
 * @example
 * leaveOneBoneOut(0).test; // [0, 1, 2, 3, 4, 5, 6]
 */
export function leaveOneBoneOut(bone: number, layout: DatasetLayout = CM_LAYOUT): Split {
  assertLayout(layout);
  assertIndex('bone', bone, layout.bones);
  return partition(layout, (row) => Math.floor(row / layout.surgeons) === bone);
}

/**
 * Experiment 2 fold: rows s, s+S, s+2S, … (the held-out surgeon on every bone) are the test set.
 *
 * @example
 * leaveOneSurgeonOut(0).test; // [0, 7, 14, 21, 28, 35, 42, 49, 56]
 */
export function leaveOneSurgeonOut(surgeon: number, layout: DatasetLayout = CM_LAYOUT): Split {
  assertLayout(layout);
  assertIndex('surgeon', surgeon, layout.surgeons);
  return partition(layout, (row) => row % layout.surgeons === surgeon);
}

function partition(layout: DatasetLayout, isTest: (row: number) => boolean): Split {
  const train: number[] = [];
  const test: number[] = [];
  const rows = layout.bones * layout.surgeons;
  for (let row = 0; row < rows; row++) (isTest(row) ? test : train).push(row);
  return { train, test };
}
