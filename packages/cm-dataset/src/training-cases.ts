import {
  type AnnotatedCase,
  type LoadAnnotatedCasesOptions,
  loadAnnotatedCases,
} from './annotated-cases.js';
import type { CmDataset } from './dataset.js';
import type { NpyDataTypes, NpyDtype } from './npy.js';
import type { Split } from './splits.js';

/** The voxels of an image: any typed array a volume file gives. */
export type VolumeData = NpyDataTypes[NpyDtype];

/** One image with the K ≥ 1 binary annotations made on it, ready for training. */
export interface TrainingCase {
  /** Names the case in splits, errors and reports: a folder name, `bone 3`, … Unique. */
  id: string;
  /** Network input, C order, the source's `spatialShape`. */
  image: VolumeData;
  /** K binary masks, C order, one per annotator. */
  annotations: readonly Uint8Array[];
  /** Who made each annotation, in the same order; unique within the case. */
  annotators: readonly string[];
}

/**
 * Images with several annotations each, on one voxel grid: what `createBatchStream` and the
 * case splits read. The CM layout ({@link trainingCasesFromCm}) and folders of your own cases
 * ({@link trainingCasesFromAnnotated}, {@link loadTrainingCases}) both give one.
 *
 * Rows number the (case, annotation) pairs case by case: case 0's annotations are rows
 * 0..K₀−1, case 1's follow, and so on; for the CM layout this is row = bone·S + surgeon.
 */
export interface TrainingCases {
  /** [D, H, W] of every image and annotation. */
  spatialShape: [number, number, number];
  cases: readonly TrainingCase[];
}

/** One (case, annotation) pair of a {@link TrainingCases} source. */
export interface TrainingRow {
  row: number;
  /** Index into `cases`. */
  caseIndex: number;
  /** Index into that case's `annotations`. */
  annotation: number;
}

/** Thrown when training cases are malformed, cannot share a grid, or cannot be split as asked. */
export class TrainingCasesError extends Error {
  override name = 'TrainingCasesError';
}

/** The two leave-one-out protocols of the paper, on any training cases. */
export type CaseSplitKind = 'leave-one-case-out' | 'leave-one-annotator-out';

/**
 * Every row of a source, case by case.
 *
 * @example
 * trainingRows(trainingCasesFromCm(generatePhantom({ size: 16, bones: 2, surgeons: 3, seed: 1 })))[4];
 * // { row: 4, caseIndex: 1, annotation: 1 }
 */
export function trainingRows(source: TrainingCases): TrainingRow[] {
  const rows: TrainingRow[] = [];
  source.cases.forEach((c, caseIndex) => {
    for (let annotation = 0; annotation < c.annotations.length; annotation++) {
      rows.push({ row: rows.length, caseIndex, annotation });
    }
  });
  return rows;
}

/**
 * The CM layout as training cases, sharing its arrays: case b is bone b (id `bone b`) with
 * annotators `surgeon 0` … `surgeon S−1`, so the rows are the dataset's rows.
 *
 * @example
 * const cases = trainingCasesFromCm(generatePhantom({ size: 16, bones: 9, surgeons: 7, seed: 1 }));
 * leaveOneCaseOut(0, cases).test; // [0, 1, 2, 3, 4, 5, 6], as leaveOneBoneOut(0)
 */
export function trainingCasesFromCm(dataset: CmDataset): TrainingCases {
  const { bones, surgeons } = dataset.layout;
  const annotators = Array.from({ length: surgeons }, (_, s) => `surgeon ${s}`);
  const cases: TrainingCase[] = [];
  for (let b = 0; b < bones; b++) {
    cases.push({
      id: `bone ${b}`,
      image: dataset.inputs[b]!,
      annotations: dataset.masks.slice(b * surgeons, (b + 1) * surgeons),
      annotators,
    });
  }
  return { spatialShape: [...dataset.spatialShape], cases };
}

/** How cases of different sizes are brought onto one grid. */
export interface ToTrainingCasesOptions {
  /**
   * The common grid [D, H, W]. Default: the largest extent of each axis over all cases, so
   * cases are only ever padded.
   */
  shape?: readonly [number, number, number];
  /** Image value of padded voxels (default 0; e.g. −1000 for CT in Hounsfield units). Annotations are padded with 0. */
  padValue?: number;
}

/**
 * Cases read by `loadAnnotatedCases` as training cases on one grid. Every case must be 3-D.
 * The rule for cases of different sizes: each axis is centred on the common grid (`shape`, or
 * the largest extent of each axis): a shorter axis is padded with ⌊(m − n)/2⌋ voxels before
 * and the rest after (`padValue` in the image, 0 in the annotations); a longer one (only with
 * an explicit `shape`) loses ⌊(n − m)/2⌋ voxels before and the rest after, and is refused if
 * that would cut off any annotated voxel. Nothing is resampled: voxel sizes are kept.
 *
 * An annotator is known by the annotation's file name without its extension
 * (`annotation-rater2.nii.gz` → `annotation-rater2`): name them alike in every case for
 * `leave-one-annotator-out`.
 *
 * @throws TrainingCasesError for no cases, a case that is not 3-D, a bad `shape` or a
 *   `padValue` the image's dtype cannot hold, or a crop that would cut off annotated voxels.
 *
 * @example
 * const cases = trainingCasesFromAnnotated(await loadAnnotatedCases('my-data'), { shape: [64, 64, 64] });
 */
export function trainingCasesFromAnnotated(
  annotated: readonly AnnotatedCase[],
  options: ToTrainingCasesOptions = {},
): TrainingCases {
  if (annotated.length === 0) throw new TrainingCasesError('no cases to train on');
  for (const c of annotated) {
    if (c.shape.length !== 3) {
      throw new TrainingCasesError(
        `case ${c.name}: shape (${c.shape.join(', ')}) is not 3-D; training batches need [D, H, W] volumes (save a 2-D image as shape (1, H, W))`,
      );
    }
  }
  const padValue = options.padValue ?? 0;
  if (typeof padValue !== 'number' || !Number.isFinite(padValue)) {
    throw new TrainingCasesError(`padValue must be a finite number, got ${padValue}`);
  }
  let grid: [number, number, number];
  if (options.shape !== undefined) {
    const s = options.shape;
    if (!Array.isArray(s) || s.length !== 3 || !s.every((n) => Number.isSafeInteger(n) && n > 0)) {
      throw new TrainingCasesError(
        `shape must be three positive integers [D, H, W], got ${JSON.stringify(s)}`,
      );
    }
    grid = [s[0], s[1], s[2]];
  } else {
    grid = [0, 1, 2].map((a) => Math.max(...annotated.map((c) => c.shape[a]!))) as [
      number,
      number,
      number,
    ];
  }
  const cases = annotated.map((c) => fitCase(c, grid, padValue));
  const source: TrainingCases = { spatialShape: grid, cases };
  validateTrainingCases(source);
  return source;
}

/**
 * Loads a folder of cases (see `loadAnnotatedCases`) straight into training cases on one grid
 * (see {@link trainingCasesFromAnnotated}).
 *
 * @example
 * const cases = await loadTrainingCases('my-data');
 * const fold = caseSplit('leave-one-annotator-out', 0, cases);
 */
export async function loadTrainingCases(
  dir: string,
  options: LoadAnnotatedCasesOptions & ToTrainingCasesOptions = {},
): Promise<TrainingCases> {
  return trainingCasesFromAnnotated(await loadAnnotatedCases(dir, options), options);
}

function annotatorId(file: string): string {
  return file.replace(/\.(npy|nii|nii\.gz)$/i, '');
}

/** Centres one case on the grid: pads or crops each axis (see trainingCasesFromAnnotated). */
function fitCase(c: AnnotatedCase, grid: [number, number, number], padValue: number): TrainingCase {
  const annotators = c.files.annotations.map(annotatorId);
  const shape = c.shape as [number, number, number];
  if (shape.every((n, a) => n === grid[a])) {
    return { id: c.name, image: c.image.data, annotations: c.annotations, annotators };
  }
  // Per axis: first source index kept, first target index written, and how many are copied.
  const from = [0, 0, 0];
  const to = [0, 0, 0];
  const len = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    const n = shape[a]!;
    const m = grid[a]!;
    from[a] = n > m ? Math.floor((n - m) / 2) : 0;
    to[a] = n < m ? Math.floor((m - n) / 2) : 0;
    len[a] = Math.min(n, m);
  }
  const describe = `case ${c.name} (${shape.join(', ')}) onto the grid (${grid.join(', ')})`;
  c.annotations.forEach((mask, k) => {
    let total = 0;
    for (let i = 0; i < mask.length; i++) total += mask[i]!;
    let kept = 0;
    forEachRow(shape, from, len, (src) => {
      for (let i = 0; i < len[2]!; i++) kept += mask[src + i]!;
    });
    if (kept !== total) {
      throw new TrainingCasesError(
        `cropping ${describe} would cut off ${total - kept} annotated voxels of ${c.files.annotations[k]}; choose a larger shape`,
      );
    }
  });
  const voxels = grid[0] * grid[1] * grid[2];
  const Type = c.image.data.constructor as new (n: number) => VolumeData;
  const image = new Type(voxels);
  image[0] = padValue;
  // Integer images would wrap or truncate a value they cannot hold; float32 rounds, as expected.
  if (!(image instanceof Float32Array) && image[0] !== padValue) {
    throw new TrainingCasesError(
      `padding ${describe}: padValue ${padValue} cannot be stored in its ${c.image.dtype} image`,
    );
  }
  image.fill(padValue);
  const annotations = c.annotations.map(() => new Uint8Array(voxels));
  const gridStride = [grid[1] * grid[2], grid[2]];
  forEachRow(shape, from, len, (src, i, j) => {
    const dst = (to[0]! + i) * gridStride[0]! + (to[1]! + j) * gridStride[1]! + to[2]!;
    image.set(c.image.data.subarray(src, src + len[2]!) as never, dst);
    c.annotations.forEach((mask, k) => {
      annotations[k]!.set(mask.subarray(src, src + len[2]!), dst);
    });
  });
  return { id: c.name, image, annotations, annotators };
}

/** Calls `row(sourceOffset, i, j)` for each kept (i, j) row of a C-order [n0, n1, n2] volume. */
function forEachRow(
  shape: readonly number[],
  from: readonly number[],
  len: readonly number[],
  row: (src: number, i: number, j: number) => void,
): void {
  for (let i = 0; i < len[0]!; i++) {
    for (let j = 0; j < len[1]!; j++) {
      row(((from[0]! + i) * shape[1]! + from[1]! + j) * shape[2]! + from[2]!, i, j);
    }
  }
}

/**
 * Checks a {@link TrainingCases} source: a 3-D grid, at least one case, unique ids, images of
 * the grid's size with finite values, at least one binary annotation per case of that size,
 * and one unique annotator id per annotation.
 *
 * @throws TrainingCasesError naming the case and what is wrong.
 *
 * @example
 * validateTrainingCases(trainingCasesFromCm(generatePhantom({ size: 16, bones: 2, surgeons: 3, seed: 1 })));
 */
export function validateTrainingCases(source: TrainingCases): void {
  const { spatialShape, cases } = source;
  if (
    !Array.isArray(spatialShape) ||
    spatialShape.length !== 3 ||
    !spatialShape.every((n) => Number.isSafeInteger(n) && n > 0)
  ) {
    throw new TrainingCasesError(
      `spatialShape must be three positive integers [D, H, W], got ${JSON.stringify(spatialShape)}`,
    );
  }
  if (!Array.isArray(cases as unknown) || cases.length === 0) {
    throw new TrainingCasesError('cases must be a non-empty array');
  }
  const voxels = spatialShape[0] * spatialShape[1] * spatialShape[2];
  const ids = new Set<string>();
  for (const c of cases) {
    if (typeof c.id !== 'string' || c.id === '') {
      throw new TrainingCasesError(`every case needs a non-empty string id, got ${String(c.id)}`);
    }
    if (ids.has(c.id)) throw new TrainingCasesError(`case id ${c.id} appears twice`);
    ids.add(c.id);
    if (!ArrayBuffer.isView(c.image) || c.image.length !== voxels) {
      throw new TrainingCasesError(
        `case ${c.id}: image must be a typed array of ${voxels} voxels (${spatialShape.join(' × ')}), got ${ArrayBuffer.isView(c.image) ? c.image.length : typeof c.image}`,
      );
    }
    for (let i = 0; i < voxels; i++) {
      if (!Number.isFinite(c.image[i])) {
        throw new TrainingCasesError(`case ${c.id}: image voxel ${i} is ${c.image[i]}`);
      }
    }
    if (!Array.isArray(c.annotations as unknown) || c.annotations.length === 0) {
      throw new TrainingCasesError(`case ${c.id}: needs at least one annotation`);
    }
    if (!Array.isArray(c.annotators as unknown) || c.annotators.length !== c.annotations.length) {
      throw new TrainingCasesError(
        `case ${c.id}: ${c.annotations.length} annotations but ${c.annotators?.length} annotator ids`,
      );
    }
    if (new Set(c.annotators).size !== c.annotators.length) {
      throw new TrainingCasesError(
        `case ${c.id}: annotator ids (${c.annotators.join(', ')}) must be unique`,
      );
    }
    c.annotations.forEach((mask, k) => {
      if (!(mask instanceof Uint8Array) || mask.length !== voxels) {
        throw new TrainingCasesError(
          `case ${c.id}: annotation ${c.annotators[k]} must be a Uint8Array of ${voxels} voxels`,
        );
      }
      for (let i = 0; i < voxels; i++) {
        if (mask[i]! > 1) {
          throw new TrainingCasesError(
            `case ${c.id}: annotation ${c.annotators[k]} voxel ${i} is ${mask[i]}; annotations must be binary`,
          );
        }
      }
    });
  }
}

/**
 * The annotator ids shared by every case, in the first case's order.
 *
 * @throws TrainingCasesError when some case has a different set of annotators, naming it.
 *
 * @example
 * sharedAnnotators(trainingCasesFromCm(generatePhantom({ size: 16, bones: 2, surgeons: 3, seed: 1 })));
 * // ['surgeon 0', 'surgeon 1', 'surgeon 2']
 */
export function sharedAnnotators(source: TrainingCases): string[] {
  const first = source.cases[0];
  if (first === undefined) throw new TrainingCasesError('cases must be a non-empty array');
  const reference = [...first.annotators];
  const key = [...reference].sort().join('\u0000');
  for (const c of source.cases) {
    if ([...c.annotators].sort().join('\u0000') !== key) {
      throw new TrainingCasesError(
        `leave-one-annotator-out needs the same annotators on every case: case ${c.id} has (${c.annotators.join(', ')}), case ${first.id} has (${reference.join(', ')})`,
      );
    }
  }
  return reference;
}

/**
 * How many folds a protocol has on a source: one per case, or one per shared annotator.
 *
 * @throws TrainingCasesError for `leave-one-annotator-out` when the cases' annotators differ.
 *
 * @example
 * caseSplitFolds('leave-one-case-out', cases); // cases.cases.length
 */
export function caseSplitFolds(kind: CaseSplitKind, source: TrainingCases): number {
  checkKind(kind);
  return kind === 'leave-one-case-out' ? source.cases.length : sharedAnnotators(source).length;
}

/**
 * Experiment 1's protocol on any cases: the held-out case's annotations are the test rows,
 * every other row trains.
 *
 * @throws RangeError for a fold outside 0..cases − 1.
 *
 * @example
 * leaveOneCaseOut(2, cases).test; // the rows of cases.cases[2]
 */
export function leaveOneCaseOut(fold: number, source: TrainingCases): Split {
  assertFold(fold, source.cases.length, 'case');
  return partition(source, (r) => r.caseIndex === fold);
}

/**
 * Experiment 2's protocol on any cases: the held-out annotator's annotation of every case is a
 * test row, every other row trains. Fold a holds out `sharedAnnotators(source)[a]`.
 *
 * @throws TrainingCasesError when the cases do not all have the same annotators; RangeError
 *   for a fold outside 0..annotators − 1.
 *
 * @example
 * leaveOneAnnotatorOut(0, cases).test; // one row per case
 */
export function leaveOneAnnotatorOut(fold: number, source: TrainingCases): Split {
  const annotators = sharedAnnotators(source);
  assertFold(fold, annotators.length, 'annotator');
  const held = annotators[fold]!;
  return partition(source, (r) => source.cases[r.caseIndex]!.annotators[r.annotation] === held);
}

/**
 * One fold of either protocol, by name (the values `--split` takes).
 *
 * @example
 * caseSplit('leave-one-case-out', 0, cases);
 */
export function caseSplit(kind: CaseSplitKind, fold: number, source: TrainingCases): Split {
  checkKind(kind);
  return kind === 'leave-one-case-out'
    ? leaveOneCaseOut(fold, source)
    : leaveOneAnnotatorOut(fold, source);
}

function checkKind(kind: string): void {
  if (kind !== 'leave-one-case-out' && kind !== 'leave-one-annotator-out') {
    throw new RangeError(
      `split must be 'leave-one-case-out' or 'leave-one-annotator-out', got ${String(kind)}`,
    );
  }
}

function assertFold(fold: number, count: number, what: string): void {
  if (!Number.isInteger(fold) || fold < 0 || fold >= count) {
    throw new RangeError(
      `fold must be an integer in 0..${count - 1} (one per ${what}), got ${fold}`,
    );
  }
}

function partition(source: TrainingCases, isTest: (row: TrainingRow) => boolean): Split {
  const train: number[] = [];
  const test: number[] = [];
  for (const r of trainingRows(source)) (isTest(r) ? test : train).push(r.row);
  return { train, test };
}
