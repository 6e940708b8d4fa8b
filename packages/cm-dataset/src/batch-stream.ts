import { mixSeed, seededRandom, shuffleInPlace } from '@rpdl/random';
import { countAnnotations, type MapScale, referenceTarget, rewardPenaltyMap } from '@rpdl/rpmap';
import { type Tensor5D, tensor5d } from '@tensorflow/tfjs-core';
import {
  type Augmentation,
  applyTransform,
  identityAugmentation,
  transformedShape,
} from './augmentation.js';
import { type CmDataset, validateCmDataset } from './dataset.js';
import { type NormalizeOptions, normalizeInput } from './normalize.js';
import {
  type TrainingCases,
  trainingCasesFromCm,
  trainingRows,
  validateTrainingCases,
} from './training-cases.js';

/**
 * Which per-voxel weights travel with each batch: none, the paper's reward-penalty map
 * (Fig. 2, for `rewardPenaltyDiceLoss`) or the authors'-code target (for
 * `referenceRewardPenaltyDiceLoss`).
 */
export type MapKind = 'none' | 'paper' | 'reference';

export interface BatchStreamOptions<M extends MapKind = 'none'> {
  /**
   * The CM layout, or any {@link TrainingCases} (e.g. your own cases from
   * `loadTrainingCases`). A CM dataset reads as `trainingCasesFromCm(dataset)`: case = bone.
   */
  dataset: CmDataset | TrainingCases;
  /**
   * Rows this stream samples from: (case, annotation) pairs numbered case by case
   * (row = bone·S + surgeon on the CM layout; see `trainingRows`).
   */
  rows: readonly number[];
  batchSize: number;
  /** Transforms applied to every row; an epoch visits each (row, transform) pair once. Default identity. */
  augmentation?: Augmentation;
  /** Seeds the sample order; epoch e uses a seed mixed from (seed, e). Default 0. */
  seed?: number;
  /** Shuffle the (row, transform) pairs each epoch (default true); false keeps row-major order. */
  shuffle?: boolean;
  /** Default `'none'`. */
  maps?: M;
  /**
   * Rows whose annotations build each case's map (default `rows`). Give a validation stream the
   * whole training fold here so its maps match the training stream's.
   */
  mapRows?: readonly number[];
  /** Value for voxels no annotator marked: default −1 for `'paper'`, −7 for `'reference'`. */
  penalty?: number;
  /** `'paper'` only: normalise counts by K (default) or by the largest count. */
  scale?: MapScale;
  /** `'reference'` only: divides the target; default the case's number of map annotations (7 or 6 on CM folds). */
  divisor?: number;
  /** Input normalisation (default x/6.5 − 1). */
  normalize?: NormalizeOptions;
  /** Samples per epoch, at most rows × transforms (the default). */
  samplesPerEpoch?: number;
  /** Drop the last batch when it is smaller than `batchSize` (default false). */
  dropRemainder?: boolean;
  /**
   * A training target per case (key: index into the cases, = bone on the CM layout), values in
   * [0, 1], as long as an image: when given, `y` of every sample of case c is `caseTargets.get(c)`
   * (transformed like the image) instead of the row's own annotation, e.g. the mean or the
   * majority vote of the case's training annotations. Every case of `rows` needs one.
   */
  caseTargets?: ReadonlyMap<number, ArrayLike<number>>;
}

interface BatchBase {
  /** Normalised input (labels on the CM layout). */
  x: Tensor5D;
  /** The row's binary annotation (drilled region on the CM layout), or its case's `caseTargets`. */
  y: Tensor5D;
  /** Row of each sample. */
  rows: number[];
  /** Augmentation index of each sample. */
  transforms: number[];
}

/**
 * One batch: float32 tensors shaped [batch, D, H, W, 1]. The caller disposes them. With a
 * literal `maps` the extra tensor is typed as present (`rpMap` for `'paper'`, `target` for
 * `'reference'`); with a `MapKind` only known at run time both are optional.
 */
export type Batch<M extends MapKind = MapKind> = BatchBase &
  ([M] extends ['none']
    ? { rpMap?: never; target?: never }
    : [M] extends ['paper']
      ? { rpMap: Tensor5D; target?: never }
      : [M] extends ['reference']
        ? { target: Tensor5D; rpMap?: never }
        : { rpMap?: Tensor5D; target?: Tensor5D });

export interface BatchStream<M extends MapKind = 'none'>
  extends Iterable<Batch<M>>,
    AsyncIterable<Batch<M>> {
  readonly batchesPerEpoch: number;
  readonly samplesPerEpoch: number;
  /** The batches of epoch `index`, the same for the same seed and index. */
  epoch(index: number): Generator<Batch<M>, void, undefined>;
}

const defer: (fn: () => void) => void =
  typeof setImmediate === 'function' ? setImmediate : (fn) => setTimeout(fn, 0);

function fail(message: string): never {
  throw new RangeError(`createBatchStream: ${message}`);
}

function checkRows(name: string, rows: readonly number[], total: number): void {
  if (!Array.isArray(rows) || rows.length === 0) fail(`${name} must be a non-empty array of rows`);
  const seen = new Set<number>();
  for (const r of rows) {
    if (!Number.isInteger(r) || r < 0 || r >= total) {
      fail(`${name} must hold integers in 0..${total - 1}, got ${r}`);
    }
    if (seen.has(r)) fail(`row ${r} appears twice in ${name}`);
    seen.add(r);
  }
}

/**
 * Streams training batches: x (normalised input), y (the row's binary annotation) and, for
 * RPDL, the map or the authors'-code target of each row, all transformed by the same
 * augmentation. Each case's map (a bone's, on the CM layout) is built from the annotations in
 * `mapRows` only (the fold's training annotations), once, when the stream is created; batches
 * are assembled on demand, so memory grows with the batch, not the epoch.
 *
 * `dataset` is the CM layout or any {@link TrainingCases}; both go through one path, so a CM
 * dataset and `trainingCasesFromCm` of it give the same batches.
 *
 * Iterating the stream (sync or async) runs the next epoch: 0, then 1, …
 *
 * @throws RangeError for empty or out-of-range rows, a batch size < 1, options that do not
 *   apply to the chosen maps, a `'reference'` row missing from `mapRows`, or an augmentation
 *   that permutes axes of unequal length; CmDatasetError / TrainingCasesError for a malformed
 *   dataset.
 *
 * @example
 * const data = generatePhantom({ size: 32, seed: 1 });
 * const fold = leaveOneBoneOut(0, data.layout);
 * const { train, validation } = validationSplit(fold.train, 0.1, 1);
 * const stream = createBatchStream({
 *   dataset: data, rows: train, mapRows: fold.train, batchSize: 16,
 *   augmentation: referenceAugmentation(), seed: 1, maps: 'paper',
 * });
 * for (const { x, y, rpMap } of stream) {
 *   // … train on x, y, rpMap …
 *   dispose([x, y, rpMap]);
 * }
 */
export function createBatchStream<M extends MapKind = 'none'>(
  options: BatchStreamOptions<M>,
): BatchStream<M> {
  const {
    dataset,
    rows,
    batchSize,
    augmentation = identityAugmentation(),
    seed = 0,
    shuffle = true,
    dropRemainder = false,
  } = options;
  const maps: MapKind = options.maps ?? 'none';
  if (maps !== 'none' && maps !== 'paper' && maps !== 'reference') {
    fail(`maps must be 'none', 'paper' or 'reference', got ${String(maps)}`);
  }
  let source: TrainingCases;
  // How errors name a case: CM rows belong to bones.
  let caseName: (index: number) => string;
  if ('layout' in dataset) {
    validateCmDataset(dataset);
    source = trainingCasesFromCm(dataset);
    caseName = (b) => `bone ${b}`;
  } else {
    validateTrainingCases(dataset);
    source = dataset;
    caseName = (c) => `case ${source.cases[c]!.id}`;
  }
  const rowTable = trainingRows(source);
  const total = rowTable.length;
  checkRows('rows', rows, total);
  const mapRows = options.mapRows ?? rows;
  if (options.mapRows !== undefined) {
    if (maps === 'none') fail(`mapRows only applies with maps 'paper' or 'reference'`);
    checkRows('mapRows', mapRows, total);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    fail(`batchSize must be a positive integer, got ${batchSize}`);
  }
  if (!Number.isFinite(seed)) fail(`seed must be a finite number, got ${seed}`);
  if (options.penalty !== undefined && maps === 'none') {
    fail(`penalty only applies with maps 'paper' or 'reference'`);
  }
  if (options.scale !== undefined && maps !== 'paper') fail(`scale only applies with maps 'paper'`);
  if (options.divisor !== undefined && maps !== 'reference') {
    fail(`divisor only applies with maps 'reference'`);
  }
  const shape = source.spatialShape;
  for (let t = 0; t < augmentation.count; t++) {
    const out = transformedShape(shape, augmentation.transform(t));
    if (out[0] !== shape[0] || out[1] !== shape[1] || out[2] !== shape[2]) {
      fail(
        `augmentation '${augmentation.name}' transform ${t} turns shape (${shape.join(', ')}) into (${out.join(', ')}); rotations need equal edge lengths, use identityAugmentation() or cubic volumes`,
      );
    }
  }
  const caseTargets = options.caseTargets;
  if (caseTargets !== undefined) {
    if (!(caseTargets instanceof Map)) fail('caseTargets must be a Map from case index to target');
    const voxels = shape[0] * shape[1] * shape[2];
    for (const r of rows) {
      const c = rowTable[r]!.caseIndex;
      const target = caseTargets.get(c);
      if (target === undefined) {
        fail(`row ${r} belongs to ${caseName(c)}, which has no entry in caseTargets`);
      }
      if (target.length !== voxels) {
        fail(`caseTargets of ${caseName(c)} has ${target.length} voxels, expected ${voxels}`);
      }
    }
    for (const [c, target] of caseTargets) {
      for (let i = 0; i < target.length; i++) {
        const v = target[i]!;
        if (!(v >= 0 && v <= 1)) {
          fail(`caseTargets of ${caseName(c)} has value ${v} at voxel ${i}; expected [0, 1]`);
        }
      }
    }
  }
  const normalize = options.normalize ?? {};
  normalizeInput([0], normalize); // validates scale and shift up front

  const voxels = shape[0] * shape[1] * shape[2];
  const available = rows.length * augmentation.count;
  const samples = options.samplesPerEpoch ?? available;
  if (!Number.isInteger(samples) || samples < 1 || samples > available) {
    fail(
      `samplesPerEpoch must be an integer in 1..${available} (rows × transforms), got ${samples}`,
    );
  }
  const batchesPerEpoch = dropRemainder
    ? Math.floor(samples / batchSize)
    : Math.ceil(samples / batchSize);
  if (batchesPerEpoch === 0) {
    fail(`dropRemainder with ${samples} samples and batch size ${batchSize} leaves no batch`);
  }

  const caseOf = (row: number) => rowTable[row]!.caseIndex;
  const maskOf = (row: number) => {
    const r = rowTable[row]!;
    return source.cases[r.caseIndex]!.annotations[r.annotation]!;
  };
  // Per-case maps from the map rows only.
  const byCase = new Map<number, Uint8Array[]>();
  for (const r of mapRows) {
    const c = caseOf(r);
    const list = byCase.get(c) ?? [];
    list.push(maskOf(r));
    byCase.set(c, list);
  }
  const paperMaps = new Map<number, Float32Array>();
  // The authors' target depends on a voxel only through (mask, count), so it is tabulated per
  // case with referenceTarget itself and looked up per voxel.
  const targets = new Map<
    number,
    { counts: Uint16Array; marked: Float32Array; unmarked: Float32Array }
  >();
  const mapRowSet = new Set(mapRows);
  const penalty = options.penalty ?? (maps === 'reference' ? -7 : -1);
  for (const r of rows) {
    const c = caseOf(r);
    const masks = byCase.get(c);
    if (maps !== 'none' && masks === undefined) {
      fail(
        `row ${r} belongs to ${caseName(c)}, which has no annotations in mapRows to build its map`,
      );
    }
    if (maps === 'paper' && !paperMaps.has(c)) {
      paperMaps.set(c, rewardPenaltyMap(masks!, { penalty, scale: options.scale ?? 'annotators' }));
    }
    if (maps === 'reference') {
      if (!mapRowSet.has(r)) {
        fail(
          `row ${r} is not in mapRows; the reference target needs each row's own annotation among the counts`,
        );
      }
      if (!targets.has(c)) {
        const k = masks!.length;
        const divisor = options.divisor ?? k;
        const levels = Array.from({ length: k + 1 }, (_, n) => n);
        targets.set(c, {
          counts: countAnnotations(masks!),
          // Index 0 of `marked` is never read: a marked voxel's count includes its own annotation.
          marked: referenceTarget(
            levels.map((n) => (n === 0 ? 0 : 1)),
            levels,
            { penalty, divisor },
          ),
          unmarked: referenceTarget(new Array<number>(k + 1).fill(0), levels, { penalty, divisor }),
        });
      }
    }
  }

  function* runEpoch(index: number): Generator<Batch<M>, void, undefined> {
    if (!Number.isInteger(index) || index < 0) {
      throw new RangeError(`epoch index must be a non-negative integer, got ${index}`);
    }
    const order = new Uint32Array(available);
    for (let i = 0; i < available; i++) order[i] = i;
    if (shuffle) shuffleInPlace(order, seededRandom(mixSeed(seed, index)));
    const [d, h, w] = shape;
    const scratch = maps === 'reference' ? new Float32Array(voxels) : undefined;
    for (let batch = 0; batch < batchesPerEpoch; batch++) {
      const start = batch * batchSize;
      const n = Math.min(batchSize, samples - start);
      const x = new Float32Array(n * voxels);
      const y = new Float32Array(n * voxels);
      const extra = maps === 'none' ? undefined : new Float32Array(n * voxels);
      const batchRows: number[] = [];
      const transforms: number[] = [];
      for (let k = 0; k < n; k++) {
        const sample = order[start + k]!;
        const row = rows[Math.floor(sample / augmentation.count)]!;
        const t = sample % augmentation.count;
        const c = caseOf(row);
        const transform = augmentation.transform(t);
        const offset = k * voxels;
        applyTransform(source.cases[c]!.image, shape, transform, x, offset);
        normalizeInput(x.subarray(offset, offset + voxels), normalize, x, offset);
        const mask = maskOf(row);
        applyTransform(caseTargets?.get(c) ?? mask, shape, transform, y, offset);
        if (maps === 'paper') {
          applyTransform(paperMaps.get(c)!, shape, transform, extra!, offset);
        } else if (maps === 'reference') {
          const { counts, marked, unmarked } = targets.get(c)!;
          for (let i = 0; i < voxels; i++) {
            scratch![i] = mask[i] ? marked[counts[i]!]! : unmarked[counts[i]!]!;
          }
          applyTransform(scratch!, shape, transform, extra!, offset);
        }
        batchRows.push(row);
        transforms.push(t);
      }
      const dims: [number, number, number, number, number] = [n, d, h, w, 1];
      const out: Record<string, unknown> = {
        x: tensor5d(x, dims, 'float32'),
        y: tensor5d(y, dims, 'float32'),
        rows: batchRows,
        transforms,
      };
      if (maps === 'paper') out['rpMap'] = tensor5d(extra!, dims, 'float32');
      if (maps === 'reference') out['target'] = tensor5d(extra!, dims, 'float32');
      yield out as Batch<M>;
    }
  }

  let nextEpoch = 0;
  return {
    batchesPerEpoch,
    samplesPerEpoch: samples,
    epoch: runEpoch,
    [Symbol.iterator]() {
      return runEpoch(nextEpoch++);
    },
    async *[Symbol.asyncIterator]() {
      for (const batch of runEpoch(nextEpoch++)) {
        yield batch;
        // Let timers and I/O run between batches.
        await new Promise<void>((resolve) => defer(resolve));
      }
    },
  };
}
