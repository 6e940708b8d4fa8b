import '@tensorflow/tfjs-backend-cpu';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rewardPenaltyMap } from '@rpdl/rpmap';
import { dispose, setBackend } from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AnnotatedCase,
  type Batch,
  type CmDataset,
  caseSplit,
  caseSplitFolds,
  createBatchStream,
  cubeSymmetries,
  generatePhantom,
  leaveOneAnnotatorOut,
  leaveOneBoneOut,
  leaveOneCaseOut,
  leaveOneSurgeonOut,
  loadTrainingCases,
  type MapKind,
  saveNpy,
  sharedAnnotators,
  type TrainingCases,
  TrainingCasesError,
  trainingCasesFromAnnotated,
  trainingCasesFromCm,
  trainingRows,
  validateTrainingCases,
  validationSplit,
} from './index.js';

beforeAll(async () => {
  await setBackend('cpu');
});

/** Three cases on a 1×2×2 grid with 2, 3 and 1 annotations. */
function uneven(): TrainingCases {
  return {
    spatialShape: [1, 2, 2],
    cases: [
      {
        id: 'a',
        image: Float32Array.of(0, 10, 20, 30),
        annotations: [Uint8Array.of(1, 1, 0, 0), Uint8Array.of(1, 0, 0, 0)],
        annotators: ['r1', 'r2'],
      },
      {
        id: 'b',
        image: Int16Array.of(-5, 5, 15, 25),
        annotations: [
          Uint8Array.of(0, 0, 1, 1),
          Uint8Array.of(0, 0, 0, 1),
          Uint8Array.of(0, 1, 1, 1),
        ],
        annotators: ['r1', 'r2', 'r3'],
      },
      {
        id: 'c',
        image: Uint8Array.of(1, 2, 3, 4),
        annotations: [Uint8Array.of(0, 1, 0, 0)],
        annotators: ['r2'],
      },
    ],
  };
}

/** Every batch of one epoch, as plain arrays, tensors disposed. */
function collect<M extends MapKind>(batches: Iterable<Batch<M>>) {
  const out: { x: number[]; y: number[]; extra: number[]; rows: number[]; transforms: number[] }[] =
    [];
  for (const b of batches) {
    const extra = (b.rpMap ?? b.target) as Batch['rpMap'];
    out.push({
      x: [...b.x.dataSync()],
      y: [...b.y.dataSync()],
      extra: extra ? [...extra.dataSync()] : [],
      rows: b.rows,
      transforms: b.transforms,
    });
    dispose([b.x, b.y, ...(extra ? [extra] : [])]);
  }
  return out;
}

describe('training cases from the CM layout', () => {
  const data: CmDataset = generatePhantom({ size: 16, bones: 3, surgeons: 4, seed: 5 });
  const cases = trainingCasesFromCm(data);

  it('numbers rows as bone·S + surgeon and shares the arrays', () => {
    expect(cases.cases.map((c) => c.id)).toEqual(['bone 0', 'bone 1', 'bone 2']);
    expect(cases.cases[1]!.image).toBe(data.inputs[1]);
    expect(cases.cases[2]!.annotations[3]).toBe(data.masks[11]);
    expect(trainingRows(cases)[9]).toEqual({ row: 9, caseIndex: 2, annotation: 1 });
    expect(sharedAnnotators(cases)).toEqual(['surgeon 0', 'surgeon 1', 'surgeon 2', 'surgeon 3']);
  });

  it('gives the leave-one-bone-out and leave-one-surgeon-out folds', () => {
    expect(caseSplitFolds('leave-one-case-out', cases)).toBe(3);
    expect(caseSplitFolds('leave-one-annotator-out', cases)).toBe(4);
    for (let b = 0; b < 3; b++) {
      expect(leaveOneCaseOut(b, cases)).toEqual(leaveOneBoneOut(b, data.layout));
    }
    for (let s = 0; s < 4; s++) {
      expect(caseSplit('leave-one-annotator-out', s, cases)).toEqual(
        leaveOneSurgeonOut(s, data.layout),
      );
    }
  });

  it('streams the same batches as the CM dataset itself, for every kind of map', () => {
    for (const maps of ['none', 'paper', 'reference'] as const) {
      const fold = leaveOneBoneOut(1, data.layout);
      const options = {
        rows: fold.train,
        mapRows: maps === 'none' ? undefined : fold.train,
        batchSize: 3,
        augmentation: cubeSymmetries(),
        samplesPerEpoch: 9,
        seed: 7,
        maps,
      };
      const fromCm = collect(createBatchStream({ ...options, dataset: data }).epoch(2));
      const fromCases = collect(createBatchStream({ ...options, dataset: cases }).epoch(2));
      expect(fromCases).toEqual(fromCm);
      expect(fromCm).toHaveLength(3);
    }
  });
});

describe('generic training cases', () => {
  it('numbers rows case by case and splits leave-one-case-out', () => {
    const cases = uneven();
    expect(trainingRows(cases).map((r) => `${r.caseIndex}:${r.annotation}`)).toEqual([
      '0:0',
      '0:1',
      '1:0',
      '1:1',
      '1:2',
      '2:0',
    ]);
    expect(leaveOneCaseOut(1, cases)).toEqual({ train: [0, 1, 5], test: [2, 3, 4] });
    expect(caseSplit('leave-one-case-out', 2, cases)).toEqual({
      train: [0, 1, 2, 3, 4],
      test: [5],
    });
    expect(() => leaveOneCaseOut(3, cases)).toThrow(
      /fold must be an integer in 0\.\.2 \(one per case\), got 3/,
    );
    expect(() => caseSplit('leave-one-bone-out' as 'leave-one-case-out', 0, cases)).toThrow(
      /split must be 'leave-one-case-out' or 'leave-one-annotator-out'/,
    );
  });

  it('refuses leave-one-annotator-out unless every case has the same annotators', () => {
    const cases = uneven();
    expect(() => leaveOneAnnotatorOut(0, cases)).toThrow(
      new TrainingCasesError(
        'leave-one-annotator-out needs the same annotators on every case: case b has (r1, r2, r3), case a has (r1, r2)',
      ),
    );
    expect(() => caseSplitFolds('leave-one-annotator-out', cases)).toThrow(TrainingCasesError);
    // Same annotators in another order: fold a holds out the first case's a-th annotator.
    const same: TrainingCases = {
      spatialShape: [1, 2, 2],
      cases: [
        cases.cases[0]!,
        {
          ...cases.cases[1]!,
          annotations: cases.cases[1]!.annotations.slice(0, 2),
          annotators: ['r2', 'r1'],
        },
      ],
    };
    expect(leaveOneAnnotatorOut(0, same)).toEqual({ train: [1, 2], test: [0, 3] });
    expect(leaveOneAnnotatorOut(1, same)).toEqual({ train: [0, 3], test: [1, 2] });
    expect(() => leaveOneAnnotatorOut(2, same)).toThrow(/0\.\.1 \(one per annotator\), got 2/);
  });

  it('streams each case image with its own map from the map rows', () => {
    const cases = uneven();
    const stream = createBatchStream({
      dataset: cases,
      rows: [0, 3, 5],
      mapRows: [0, 1, 2, 3, 5],
      batchSize: 3,
      shuffle: false,
      maps: 'paper',
      normalize: { scale: 10, shift: 0 },
    });
    const [batch] = collect(stream.epoch(0));
    expect(batch!.rows).toEqual([0, 3, 5]);
    expect(batch!.x).toEqual(
      [0, 1, 2, 3, -0.5, 0.5, 1.5, 2.5, 0.1, 0.2, 0.3, 0.4].map(Math.fround),
    );
    expect(batch!.y).toEqual([1, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0]);
    // Case a: both annotations; case b: rows 2 and 3 only (row 4 is not a map row); case c: row 5.
    expect(batch!.extra).toEqual([1, 0.5, -1, -1, -1, -1, 0.5, 1, -1, 1, -1, -1]);
    expect([...rewardPenaltyMap([Uint8Array.of(0, 0, 1, 1), Uint8Array.of(0, 0, 0, 1)])]).toEqual([
      -1, -1, 0.5, 1,
    ]);
    expect(() =>
      createBatchStream({ dataset: cases, rows: [5], mapRows: [0], batchSize: 1, maps: 'paper' }),
    ).toThrow(/row 5 belongs to case c, which has no annotations in mapRows/);
    expect(() => createBatchStream({ dataset: cases, rows: [6], batchSize: 1 })).toThrow(
      /integers in 0\.\.5, got 6/,
    );
  });

  it('validates a source with specific errors', () => {
    const bad = (edit: (c: TrainingCases) => void) => {
      const c = uneven();
      edit(c);
      return () => validateTrainingCases(c);
    };
    expect(bad(() => {})).not.toThrow();
    expect(bad((c) => ((c.cases[1] as { id: string }).id = 'a'))).toThrow(
      /case id a appears twice/,
    );
    expect(
      bad((c) => ((c.cases[0] as { image: Float32Array }).image = new Float32Array(3))),
    ).toThrow(/case a: image must be a typed array of 4 voxels \(1 × 2 × 2\), got 3/);
    expect(bad((c) => ((c.cases[0]!.image as Float32Array)[2] = Number.NaN))).toThrow(
      /case a: image voxel 2 is NaN/,
    );
    expect(bad((c) => (c.cases[2]!.annotations[0]![1] = 2))).toThrow(
      /case c: annotation r2 voxel 1 is 2; annotations must be binary/,
    );
    expect(
      bad((c) => ((c.cases[1] as unknown as { annotators: string[] }).annotators = ['x', 'y'])),
    ).toThrow(/case b: 3 annotations but 2 annotator ids/);
    expect(
      bad((c) => ((c.cases[0] as unknown as { annotators: string[] }).annotators = ['x', 'x'])),
    ).toThrow(/annotator ids \(x, x\) must be unique/);
    expect(
      bad((c) => ((c.cases[2] as unknown as { annotations: Uint8Array[] }).annotations = [])),
    ).toThrow(/case c: needs at least one annotation/);
    expect(bad((c) => (c.spatialShape = [1, 2, 0]))).toThrow(/spatialShape must be three positive/);
    expect(bad((c) => ((c as unknown as { cases: unknown[] }).cases = []))).toThrow(/non-empty/);
    expect(() =>
      createBatchStream({
        dataset: { ...uneven(), spatialShape: [2, 2, 2] },
        rows: [0],
        batchSize: 1,
      }),
    ).toThrow(TrainingCasesError);
  });
});

/** An AnnotatedCase as loadAnnotatedCases gives it, from C-order values. */
function annotated(
  name: string,
  shape: number[],
  image: number[],
  masks: number[][],
  dtype: 'float32' | 'uint8' = 'float32',
): AnnotatedCase {
  const data = dtype === 'uint8' ? Uint8Array.from(image) : Float32Array.from(image);
  return {
    name,
    shape,
    image: { dtype, shape, data, fortranOrder: false } as AnnotatedCase['image'],
    annotations: masks.map((m) => Uint8Array.from(m)),
    files: { image: 'image.npy', annotations: masks.map((_, k) => `annotation-${k}.nii.gz`) },
  };
}

describe('trainingCasesFromAnnotated: one grid for cases of different sizes', () => {
  it('keeps equal-sized cases as they are and names annotators by file stem', () => {
    const a = annotated(
      'c1',
      [1, 1, 2],
      [5, 6],
      [
        [1, 0],
        [0, 1],
      ],
    );
    const cases = trainingCasesFromAnnotated([a]);
    expect(cases.spatialShape).toEqual([1, 1, 2]);
    expect(cases.cases[0]!.image).toBe(a.image.data);
    expect(cases.cases[0]!.annotators).toEqual(['annotation-0', 'annotation-1']);
  });

  it('centres smaller cases on the largest extent of each axis, padding with padValue', () => {
    // 1×1×1 and 3×1×2 on the default grid 3×1×2: the single voxel goes to (⌊2/2⌋, 0, ⌊1/2⌋) = (1, 0, 0).
    const small = annotated('small', [1, 1, 1], [7], [[1]]);
    const large = annotated('large', [3, 1, 2], [1, 2, 3, 4, 5, 6], [[0, 0, 1, 1, 0, 0]]);
    const cases = trainingCasesFromAnnotated([small, large], { padValue: -9 });
    expect(cases.spatialShape).toEqual([3, 1, 2]);
    expect([...cases.cases[0]!.image]).toEqual([-9, -9, 7, -9, -9, -9]);
    expect([...cases.cases[0]!.annotations[0]!]).toEqual([0, 0, 1, 0, 0, 0]);
    expect([...cases.cases[1]!.image]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('pads and crops to an explicit shape, refusing a crop that cuts off annotated voxels', () => {
    // 4×1×1 → 2×1×1 drops ⌊2/2⌋ = 1 voxel before and 1 after: keeps source voxels 1 and 2.
    const c = annotated('tall', [4, 1, 1], [10, 11, 12, 13], [[0, 1, 1, 0]]);
    const cases = trainingCasesFromAnnotated([c], { shape: [2, 1, 3] });
    // Axis 2 pads 1 → 3: ⌊2/2⌋ = 1 before, 1 after.
    expect([...cases.cases[0]!.image]).toEqual([0, 11, 0, 0, 12, 0]);
    expect([...cases.cases[0]!.annotations[0]!]).toEqual([0, 1, 0, 0, 1, 0]);
    const cut = annotated('cut', [4, 1, 1], [10, 11, 12, 13], [[1, 1, 0, 0]]);
    expect(() => trainingCasesFromAnnotated([cut], { shape: [2, 1, 1] })).toThrow(
      new TrainingCasesError(
        'cropping case cut (4, 1, 1) onto the grid (2, 1, 1) would cut off 1 annotated voxels of annotation-0.nii.gz; choose a larger shape',
      ),
    );
  });

  it('refuses what cannot share a grid', () => {
    const flat = annotated('flat', [2, 2], [1, 2, 3, 4], [[1, 0, 0, 0]]);
    expect(() => trainingCasesFromAnnotated([flat])).toThrow(
      /case flat: shape \(2, 2\) is not 3-D; .*shape \(1, H, W\)/,
    );
    expect(() => trainingCasesFromAnnotated([])).toThrow(/no cases to train on/);
    const one = annotated('one', [1, 1, 1], [3], [[1]], 'uint8');
    expect(() => trainingCasesFromAnnotated([one], { shape: [1, 1, 2], padValue: -1000 })).toThrow(
      /padValue -1000 cannot be stored in its uint8 image/,
    );
    expect(() => trainingCasesFromAnnotated([one], { shape: [1, 0, 2] })).toThrow(
      /shape must be three positive integers \[D, H, W\], got \[1,0,2\]/,
    );
    expect(() => trainingCasesFromAnnotated([one], { padValue: Number.NaN })).toThrow(
      /padValue must be a finite number/,
    );
  });
});

describe('the README example: 6 cases × 4 annotators from .npy files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'training-cases-'));
    // What the README's numpy script writes: my-data/caseNN/image.npy (float32, 16³ here) and
    // annotation-raterA.npy (uint8 balls of radius 4 + A + N mod 3).
    const n = 16;
    for (let c = 0; c < 6; c++) {
      const folder = join(dir, `case${String(c).padStart(2, '0')}`);
      await mkdir(folder, { recursive: true });
      const image = Float32Array.from({ length: n ** 3 }, (_, i) => (i % 7) - 3);
      await saveNpy(join(folder, 'image.npy'), {
        dtype: 'float32',
        shape: [n, n, n],
        data: image,
        fortranOrder: false,
      });
      for (let a = 0; a < 4; a++) {
        const r = 4 + a + (c % 3);
        const mask = new Uint8Array(n ** 3);
        for (let z = 0; z < n; z++)
          for (let y = 0; y < n; y++)
            for (let x = 0; x < n; x++)
              mask[(z * n + y) * n + x] =
                (z - 8) ** 2 + (y - 8) ** 2 + (x - 8) ** 2 <= r * r ? 1 : 0;
        await saveNpy(join(folder, `annotation-rater${a}.npy`), {
          dtype: 'uint8',
          shape: [n, n, n],
          data: mask,
          fortranOrder: false,
        });
      }
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads, splits both ways and streams batches', async () => {
    const cases = await loadTrainingCases(dir);
    expect(cases.cases.map((c) => c.id)).toEqual([
      'case00',
      'case01',
      'case02',
      'case03',
      'case04',
      'case05',
    ]);
    expect(caseSplitFolds('leave-one-case-out', cases)).toBe(6);
    expect(caseSplitFolds('leave-one-annotator-out', cases)).toBe(4);
    expect(caseSplit('leave-one-case-out', 2, cases).test).toEqual([8, 9, 10, 11]);
    const fold = caseSplit('leave-one-annotator-out', 0, cases);
    expect(fold.test).toEqual([0, 4, 8, 12, 16, 20]);
    expect(sharedAnnotators(cases)[0]).toBe('annotation-rater0');
    const { train, validation } = validationSplit(fold.train, 0.1, 1);
    expect(train.length + validation.length).toBe(18);
    const stream = createBatchStream({
      dataset: cases,
      rows: train,
      mapRows: fold.train,
      batchSize: 4,
      augmentation: cubeSymmetries(),
      maps: 'paper',
      normalize: { scale: 3, shift: 0 },
      seed: 1,
    });
    expect(stream.batchesPerEpoch).toBe(Math.ceil((train.length * 48) / 4));
    const first = stream.epoch(0).next().value!;
    expect(first.x.shape).toEqual([4, 16, 16, 16, 1]);
    expect(first.rpMap.shape).toEqual([4, 16, 16, 16, 1]);
    // The centre voxel is marked by the fold's 3 training raters on every case: map value 1.
    const centre = (8 * 16 + 8) * 16 + 8;
    expect(first.rpMap.dataSync()[centre]).toBe(1);
    dispose([first.x, first.y, first.rpMap]);
  });
});
