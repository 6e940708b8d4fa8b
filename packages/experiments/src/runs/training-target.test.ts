import { type TrainingCases, trainingCasesFromCm } from '@rpdl/cm-dataset';
import { describe, expect, it } from 'vitest';
import { twoBonesThreeSurgeons, u8 } from '../../test/cm-fixture.js';
import { foldSplit } from './data-pipeline.js';
import { foldTargets, fuseAnnotations } from './training-target.js';

/** 2 bones × 3 surgeons on 4 voxels (row = bone·3 + surgeon). */
function cases(): TrainingCases {
  return trainingCasesFromCm({
    ...twoBonesThreeSurgeons(),
    spatialShape: [1, 1, 4],
    inputs: [new Int8Array(4), new Int8Array(4)],
  });
}

describe('fuseAnnotations', () => {
  it('mean, majority vote (tie is foreground) and STAPLE ≥ 0.5 on hand-made masks', () => {
    const masks = [u8(1, 1, 0, 0), u8(1, 0, 0, 0), u8(1, 1, 1, 0)];
    expect([...fuseAnnotations('mean-annotation', masks)]).toEqual([
      1,
      Math.fround(2 / 3),
      Math.fround(1 / 3),
      0,
    ]);
    expect([...fuseAnnotations('majority-vote', masks)]).toEqual([1, 1, 0, 0]);
    expect([...fuseAnnotations('majority-vote', [u8(1, 0), u8(0, 0)])]).toEqual([1, 0]);
    // STAPLE weighs the annotators; here the consensus is the 2-of-3 majority.
    expect([...fuseAnnotations('staple', masks)]).toEqual([1, 1, 0, 0]);
  });

  it('gives the empty (or full) mask for STAPLE when every annotation is empty (or full)', () => {
    expect([...fuseAnnotations('staple', [u8(0, 0, 0), u8(0, 0, 0)])]).toEqual([0, 0, 0]);
    expect([...fuseAnnotations('staple', [u8(1, 1), u8(1, 1)])]).toEqual([1, 1]);
  });

  it('refuses the per-row target and bad masks', () => {
    expect(() => fuseAnnotations('annotation' as 'staple', [u8(1)])).toThrow(
      /target must be 'mean-annotation', 'staple' or 'majority-vote'/,
    );
    expect(() => fuseAnnotations('mean-annotation', [])).toThrow(RangeError);
    expect(() => fuseAnnotations('staple', [u8(1, 2)])).toThrow(RangeError);
  });
});

describe('foldTargets', () => {
  it('is undefined for the per-row target', () => {
    expect(foldTargets('annotation', cases(), [0, 1, 2])).toBeUndefined();
  });

  it('leave one bone out: the training bones only, from all their annotations', () => {
    const data = cases();
    const targets = foldTargets('mean-annotation', data, foldSplit(1, 0, data).train)!;
    expect([...targets.keys()]).toEqual([1]);
    expect([...targets.get(1)!]).toEqual([0, Math.fround(1 / 3), Math.fround(2 / 3), 1]);
  });

  it('leave one surgeon out: the held-out surgeon never enters a target', () => {
    const data = cases();
    // Fold 2 holds out surgeon 2 (rows 2 and 5); the majority then uses surgeons 0 and 1 only.
    const split = foldSplit(2, 2, data);
    expect(split.test).toEqual([2, 5]);
    const targets = foldTargets('majority-vote', data, split.train)!;
    expect([...targets.get(0)!]).toEqual([1, 1, 0, 0]); // with surgeon 2 it would be 1, 1, 0, 0 too
    expect([...targets.get(1)!]).toEqual([0, 0, 1, 1]); // with surgeon 2: 0, 0, 1, 1
    const mean = foldTargets('mean-annotation', data, split.train)!;
    // With surgeon 2's 1110 in, bone 0's mean would be 1, 2/3, 1/3, 0.
    expect([...mean.get(0)!]).toEqual([1, 0.5, 0, 0]);
    expect([...mean.get(1)!]).toEqual([0, 0, 0.5, 1]);
  });

  it('refuses rows that do not exist', () => {
    expect(() => foldTargets('staple', cases(), [0, 6])).toThrow(/row 6 does not exist \(rows 0\.\.5\)/);
  });
});
