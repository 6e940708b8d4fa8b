import '@tensorflow/tfjs-backend-cpu';
import { countAnnotations, referenceTarget, rewardPenaltyMap } from '@rpdl/rpmap';
import { dispose, memory, setBackend, type Tensor5D } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  applyTransform,
  type Batch,
  type CmDataset,
  createBatchStream,
  cubeSymmetries,
  generatePhantom,
  leaveOneBoneOut,
  leaveOneSurgeonOut,
  type MapKind,
  normalizeInput,
  referenceAugmentation,
} from './index.js';

beforeAll(async () => {
  await setBackend('cpu');
});

/** 2 bones × 3 surgeons on 2×2×2 volumes with hand-chosen labels and masks. */
function tiny(): CmDataset {
  return {
    layout: { bones: 2, surgeons: 3 },
    spatialShape: [2, 2, 2],
    inputs: [Int8Array.of(0, 1, 2, 3, 4, 5, 6, 13), Int8Array.of(13, 12, 1, 1, 0, 0, 1, 1)],
    masks: [
      Uint8Array.of(1, 1, 0, 0, 0, 0, 0, 0),
      Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0),
      Uint8Array.of(1, 1, 1, 0, 0, 0, 0, 0),
      Uint8Array.of(0, 0, 0, 0, 0, 0, 1, 1),
      Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 1),
      Uint8Array.of(0, 0, 0, 0, 0, 1, 1, 1),
    ],
  };
}

describe('createBatchStream', () => {
  it('yields x, y and the paper map of each sample, transformed alike', () => {
    const data = tiny();
    const aug = cubeSymmetries();
    const stream = createBatchStream({
      dataset: data,
      rows: [0, 2, 3, 4],
      batchSize: 5,
      augmentation: aug,
      seed: 3,
      maps: 'paper',
    });
    expect(stream.samplesPerEpoch).toBe(4 * 48);
    expect(stream.batchesPerEpoch).toBe(Math.ceil(192 / 5));
    // Maps come from the stream's rows only: bone 0 from surgeons 0 and 2, bone 1 from 0 and 1.
    const maps = [
      rewardPenaltyMap([data.masks[0]!, data.masks[2]!]),
      rewardPenaltyMap([data.masks[3]!, data.masks[4]!]),
    ];
    expect([...maps[0]!]).toEqual([1, 1, 0.5, -1, -1, -1, -1, -1]);
    const seen = new Set<string>();
    let batches = 0;
    for (const batch of stream) {
      batches++;
      const xs = batch.x.dataSync();
      const ys = batch.y.dataSync();
      const ms = batch.rpMap.dataSync();
      expect(batch.x.shape.slice(1)).toEqual([2, 2, 2, 1]);
      batch.rows.forEach((row, k) => {
        const t = aug.transform(batch.transforms[k]!);
        const bone = Math.floor(row / 3);
        const slot = (a: Float32Array | Int32Array | Uint8Array) => [
          ...a.subarray(8 * k, 8 * k + 8),
        ];
        expect(slot(xs)).toEqual([
          ...normalizeInput(applyTransform(data.inputs[bone]!, [2, 2, 2], t)),
        ]);
        expect(slot(ys)).toEqual([...applyTransform(data.masks[row]!, [2, 2, 2], t)]);
        expect(slot(ms)).toEqual([...applyTransform(maps[bone]!, [2, 2, 2], t)]);
        seen.add(`${row}:${batch.transforms[k]}`);
      });
      dispose([batch.x, batch.y, batch.rpMap]);
    }
    expect(batches).toBe(stream.batchesPerEpoch);
    // Every (row, transform) pair exactly once per epoch.
    expect(seen.size).toBe(192);
  });

  it('gives the authors-code target from the map rows, with a divisor of K per bone', () => {
    const data = tiny();
    const stream = createBatchStream({
      dataset: data,
      rows: [1],
      mapRows: [0, 1, 2],
      batchSize: 1,
      maps: 'reference',
    });
    const [batch] = [...stream];
    const counts = [3, 2, 1, 0, 0, 0, 0, 0];
    // Row 1 marks voxel 0 (count 3): 3/3; unmarked voxels with counts 2, 1 → 0; count 0 → −7/3.
    const expected = referenceTarget(data.masks[1]!, counts, { penalty: -7, divisor: 3 });
    expect([...batch!.target.dataSync()]).toEqual([...expected]);
    expect(expected[0]).toBe(1);
    dispose([batch!.x, batch!.y, batch!.target]);
  });

  it('is deterministic for (seed, epoch), reshuffles per epoch, and keeps order without shuffle', () => {
    const data = tiny();
    const make = (seed: number, shuffle = true) =>
      createBatchStream({
        dataset: data,
        rows: [0, 1, 3],
        batchSize: 4,
        augmentation: cubeSymmetries(),
        seed,
        shuffle,
      });
    const order = (
      it: Iterable<{
        rows: number[];
        transforms: number[];
        x: { dispose(): void };
        y: { dispose(): void };
      }>,
    ) => {
      const out: string[] = [];
      for (const b of it) {
        for (const [k, r] of b.rows.entries()) out.push(`${r}:${b.transforms[k]}`);
        b.x.dispose();
        b.y.dispose();
      }
      return out;
    };
    const a = make(9);
    const e0 = order(a);
    const e1 = order(a);
    expect(order(make(9).epoch(0))).toEqual(e0);
    expect(order(make(9).epoch(1))).toEqual(e1);
    expect(e1).not.toEqual(e0);
    expect(order(make(10).epoch(0))).not.toEqual(e0);
    const plain = order(make(9, false).epoch(0));
    expect(plain.slice(0, 3)).toEqual(['0:0', '0:1', '0:2']);
    expect(plain.at(-1)).toBe('3:47');
  });

  it('creates only the tensors it hands out; none remain after disposal', async () => {
    const data = generatePhantom({ size: 16, bones: 2, surgeons: 3, seed: 1 });
    const before = memory().numTensors;
    const stream = createBatchStream({
      dataset: data,
      rows: [0, 1, 2, 3],
      batchSize: 3,
      augmentation: referenceAugmentation(),
      samplesPerEpoch: 20,
      maps: 'paper',
    });
    let batches = 0;
    for await (const { x, y, rpMap } of stream) {
      expect(memory().numTensors).toBe(before + 3);
      expect(x.shape).toEqual([batches < 6 ? 3 : 2, 16, 16, 16, 1]);
      dispose([x, y, rpMap]);
      batches++;
    }
    expect(batches).toBe(7);
    expect(memory().numTensors).toBe(before);
  });

  it('honours samplesPerEpoch and dropRemainder', () => {
    const s = createBatchStream({
      dataset: tiny(),
      rows: [0, 1],
      batchSize: 4,
      augmentation: cubeSymmetries(),
      samplesPerEpoch: 10,
      dropRemainder: true,
    });
    expect(s.samplesPerEpoch).toBe(10);
    expect(s.batchesPerEpoch).toBe(2);
    let n = 0;
    for (const b of s) {
      expect(b.x.shape[0]).toBe(4);
      dispose([b.x, b.y]);
      n++;
    }
    expect(n).toBe(2);
  });

  it('works on the 9 × 7 CM folds (leave one bone / surgeon out)', () => {
    const data = generatePhantom({ size: 16, seed: 2 });
    const fold = leaveOneSurgeonOut(2, data.layout);
    const s = createBatchStream({
      dataset: data,
      rows: fold.train,
      batchSize: 8,
      maps: 'reference',
    });
    const first = s.epoch(0).next().value!;
    // Experiment 2 folds have 6 annotations per bone: the default divisor is 6, penalty −7.
    const values = new Set(first.target.dataSync());
    expect(values.has(Math.fround(-7 / 6))).toBe(true);
    dispose([first.x, first.y, first.target]);
    // Row by row, unshuffled and unaugmented, the target is referenceTarget of the row's mask
    // against the counts of its bone's 6 training annotations.
    const plain = createBatchStream({
      dataset: data,
      rows: fold.train,
      batchSize: 6,
      maps: 'reference',
      shuffle: false,
    });
    const batch = plain.epoch(0).next().value!;
    const targets = batch.target.dataSync();
    const counts = countAnnotations(fold.train.filter((r) => r < 7).map((r) => data.masks[r]!));
    batch.rows.forEach((row, k) => {
      const expected = referenceTarget(data.masks[row]!, counts, { penalty: -7, divisor: 6 });
      expect(targets.subarray(k * 4096, (k + 1) * 4096)).toEqual(expected);
    });
    dispose([batch.x, batch.y, batch.target]);
    expect(() =>
      createBatchStream({
        dataset: data,
        rows: leaveOneBoneOut(0, data.layout).test,
        batchSize: 1,
        maps: 'paper',
        mapRows: leaveOneBoneOut(0, data.layout).train,
      }),
    ).toThrow(/row 0 belongs to bone 0, which has no annotations in mapRows/);
  });

  it('types the extra tensor from the maps option', () => {
    expectTypeOf<Batch<'paper'>['rpMap']>().toEqualTypeOf<Tensor5D>();
    expectTypeOf<Batch<'reference'>['target']>().toEqualTypeOf<Tensor5D>();
    expectTypeOf<Batch<'none'>['rpMap']>().toEqualTypeOf<undefined>();
    expectTypeOf<Batch['rpMap']>().toEqualTypeOf<Tensor5D | undefined>();
    const kind: MapKind = 'paper' as MapKind;
    const stream = createBatchStream({ dataset: tiny(), rows: [0], batchSize: 1, maps: kind });
    const batch = stream.epoch(0).next().value!;
    expect(batch.rpMap?.shape).toEqual([1, 2, 2, 2, 1]);
    expect(batch.target).toBeUndefined();
    dispose([batch.x, batch.y, batch.rpMap!]);
  });

  it('replaces y by the case target when caseTargets is given, transformed like x', () => {
    const data = tiny();
    const aug = cubeSymmetries();
    // Bone 0: mean of surgeons 0 and 2 by hand; bone 1: a made-up soft target.
    const targets = new Map<number, Float32Array>([
      [0, Float32Array.of(1, 0.5, 0.5, 0, 0, 0, 0, 0)],
      [1, Float32Array.of(0, 0, 0, 0, 0.25, 0.5, 0.75, 1)],
    ]);
    const stream = createBatchStream({
      dataset: data,
      rows: [0, 2, 4],
      batchSize: 7,
      augmentation: aug,
      seed: 5,
      caseTargets: targets,
    });
    let samples = 0;
    for (const batch of stream) {
      const ys = batch.y.dataSync();
      const xs = batch.x.dataSync();
      batch.rows.forEach((row, k) => {
        const t = aug.transform(batch.transforms[k]!);
        const bone = Math.floor(row / 3);
        expect([...ys.subarray(8 * k, 8 * k + 8)]).toEqual([
          ...applyTransform(targets.get(bone)!, [2, 2, 2], t),
        ]);
        expect([...xs.subarray(8 * k, 8 * k + 8)]).toEqual([
          ...normalizeInput(applyTransform(data.inputs[bone]!, [2, 2, 2], t)),
        ]);
        samples++;
      });
      dispose([batch.x, batch.y]);
    }
    expect(samples).toBe(3 * 48);
  });

  it('refuses caseTargets that miss a case, have the wrong size or values outside [0, 1]', () => {
    const data = tiny();
    const base = { dataset: data, rows: [0, 3], batchSize: 2 };
    const ok = new Float32Array(8);
    expect(() => createBatchStream({ ...base, caseTargets: new Map([[0, ok]]) })).toThrow(
      /row 3 belongs to bone 1, which has no entry in caseTargets/,
    );
    expect(() =>
      createBatchStream({
        ...base,
        caseTargets: new Map([
          [0, ok],
          [1, new Float32Array(7)],
        ]),
      }),
    ).toThrow(/caseTargets of bone 1 has 7 voxels, expected 8/);
    const bad = Float32Array.of(0, 0, 0, 0, 0, 0, 0, 1.5);
    expect(() =>
      createBatchStream({
        ...base,
        caseTargets: new Map([
          [0, ok],
          [1, bad],
        ]),
      }),
    ).toThrow(/caseTargets of bone 1 has value 1.5 at voxel 7; expected \[0, 1\]/);
    const nan = Float32Array.of(Number.NaN, 0, 0, 0, 0, 0, 0, 0);
    expect(() =>
      createBatchStream({
        ...base,
        caseTargets: new Map([
          [0, nan],
          [1, ok],
        ]),
      }),
    ).toThrow(/has value NaN at voxel 0/);
    expect(() =>
      createBatchStream({ ...base, caseTargets: [ok, ok] as unknown as Map<number, Float32Array> }),
    ).toThrow(/caseTargets must be a Map/);
  });

  it('refuses bad options with specific errors', () => {
    const data = tiny();
    const base = { dataset: data, rows: [0, 1], batchSize: 2 };
    expect(() => createBatchStream({ ...base, rows: [] })).toThrow(
      /rows must be a non-empty array/,
    );
    expect(() => createBatchStream({ ...base, rows: [6] })).toThrow(/integers in 0\.\.5, got 6/);
    expect(() => createBatchStream({ ...base, rows: [1, 1] })).toThrow(/row 1 appears twice/);
    expect(() => createBatchStream({ ...base, batchSize: 0 })).toThrow(
      /batchSize must be a positive integer/,
    );
    expect(() => createBatchStream({ ...base, penalty: -1 })).toThrow(/penalty only applies/);
    expect(() => createBatchStream({ ...base, maps: 'paper', divisor: 2 })).toThrow(
      /divisor only applies with maps 'reference'/,
    );
    expect(() => createBatchStream({ ...base, maps: 'reference', scale: 'max' })).toThrow(
      /scale only applies/,
    );
    expect(() => createBatchStream({ ...base, mapRows: [0] })).toThrow(/mapRows only applies/);
    expect(() => createBatchStream({ ...base, maps: 'paper', penalty: 1 })).toThrow(
      /penalty must be a finite number < 0/,
    );
    expect(() => createBatchStream({ ...base, maps: 'reference', divisor: 0 })).toThrow(
      /divisor must be a finite number > 0/,
    );
    expect(() => createBatchStream({ ...base, maps: 'reference', mapRows: [0] })).toThrow(
      /row 1 is not in mapRows/,
    );
    expect(() => createBatchStream({ ...base, maps: 'bogus' as 'none' })).toThrow(/maps must be/);
    expect(() => createBatchStream({ ...base, samplesPerEpoch: 3 })).toThrow(
      /samplesPerEpoch must be an integer in 1\.\.2/,
    );
    expect(() => createBatchStream({ ...base, batchSize: 3, dropRemainder: true })).toThrow(
      /leaves no batch/,
    );
    expect(() => createBatchStream({ ...base, normalize: { scale: 0 } })).toThrow(
      /scale must be a finite non-zero/,
    );
    const flat: CmDataset = { ...data, spatialShape: [1, 2, 4] };
    expect(() =>
      createBatchStream({ ...base, dataset: flat, augmentation: cubeSymmetries() }),
    ).toThrow(/turns shape \(1, 2, 4\) into/);
    expect(() => createBatchStream(base).epoch(-1).next()).toThrow(/epoch index must be/);
  });
});
